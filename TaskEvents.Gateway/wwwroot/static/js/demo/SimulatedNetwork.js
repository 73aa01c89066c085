/**
 * A fetch() with an off switch, handed to EventStreamService as its `fetch` option. Going "offline" aborts the
 * requests in flight and fails new ones with the TypeError a real browser gives, so the service goes through
 * exactly what it does on a real network loss; the rest of the page (the event producer) keeps the real network.
 */
export class SimulatedNetwork {
    constructor(realFetch = globalThis.fetch.bind(globalThis)) {
        this._realFetch = realFetch;
        this._inFlight = new Set();
        this._offlineUntil = 0;
        this._backOnline = null;
        this.fetch = this.fetch.bind(this);
    }

    get offline() {
        return Date.now() < this._offlineUntil;
    }

    get remainingMs() {
        return Math.max(0, this._offlineUntil - Date.now());
    }

    fetch(input, init = {}) {
        if (this.offline) {
            return Promise.reject(new TypeError('Failed to fetch (simulated offline)'));
        }

        const controller = new AbortController();
        const outer = init.signal;
        if (outer) {
            if (outer.aborted) {
                controller.abort(outer.reason);
            } else {
                outer.addEventListener('abort', () => controller.abort(outer.reason), { once: true });
            }
        }

        // Streams stay tracked until their caller aborts them; other requests only until their answer arrives.
        this._inFlight.add(controller);
        const forget = () => this._inFlight.delete(controller);
        controller.signal.addEventListener('abort', forget, { once: true });
        return this._realFetch(input, { ...init, signal: controller.signal }).then(
            (response) => {
                if (!(response.headers.get('Content-Type') ?? '').startsWith('text/event-stream')) {
                    forget();
                }
                return response;
            },
            (error) => {
                forget();
                throw error;
            });
    }

    /**
     * Cuts the network for `ms` milliseconds. When it is back, an `online` event is fired on window, as a browser
     * does when its network returns (EventStreamService then skips the rest of its backoff wait).
     */
    goOffline(ms) {
        this._offlineUntil = Date.now() + ms;
        for (const controller of this._inFlight) {
            controller.abort(new TypeError('Network connection lost (simulated offline)'));
        }
        this._inFlight.clear();
        clearTimeout(this._backOnline);
        this._backOnline = setTimeout(() => {
            this._offlineUntil = 0;
            window.dispatchEvent(new Event('online'));
        }, ms);
    }
}
