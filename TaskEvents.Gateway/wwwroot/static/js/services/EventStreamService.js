/**
 * EventStreamService: follows one task's events over Server-Sent Events, through the TaskEvents gateway.
 *
 * The public surface is the PR-V3 client's (constructor, options, callbacks, methods, state names), so code
 * written for it works unchanged. What it guarantees on top:
 * - onEvent sees every event exactly once, in seq order. Duplicates are dropped by seq. When the stream skips
 *   seqs, later events are held while the missing range is read from GET /api/tasks/{id}/events (in pages of at
 *   most 1,000), then everything is delivered in order. A gap that opens while another is being filled is kept.
 * - Reconnects resume after the last delivered seq; with `persist`, so does a page reload.
 * - Full-jitter exponential backoff; 401/403/404 (and other 4xx) end in the `error` state without retrying,
 *   except one token refresh on 401 when `token` is a function.
 * - The server's `reconnect` and `end` control messages are followed. A stream lives no longer than its token: on
 *   `reconnect` with reason `token_expired` a fresh token is asked for (`forceRefresh`) and the stream resumes at
 *   once, staying `connected`; a refresh that fails ends in the `error` state (`token_refresh_failed`).
 * - A stream silent for 2.5x the keepalive interval is treated as dead.
 *
 * Transport: fetch() with a streaming body, parsed here, rather than EventSource. EventSource cannot send an
 * Authorization header (the token would travel in the URL), hides the status code of a refused connection
 * (401 vs 404 vs 503 look the same), and never exposes `: keepalive` comments, so a heartbeat watchdog could
 * not tell a quiet task from a dead connection. EventSource's own reconnection is replaced by ours anyway.
 *
 * @example
 * const stream = new EventStreamService('task_123', {
 *     since_seq: 0,
 *     token: async ({ forceRefresh }) => getAccessToken(forceRefresh),
 *     onEvent: (event) => console.log(event.seq, event.event_type),
 *     onStateChange: (state, prev, meta) => status.setState(state, meta),
 *     onError: (error) => console.warn(error.reason, error.message),
 * });
 * stream.start();
 */

/** Connection states, as the PR-V3 client named them. */
const States = Object.freeze({
    DISCONNECTED: 'disconnected',
    CONNECTING: 'connecting',
    CONNECTED: 'connected',
    RECONNECTING: 'reconnecting',
    ERROR: 'error',
});

/** The Api never returns more than this many events per REST read. */
const MAX_PAGE = 1000;

const DEFAULT_OPTIONS = Object.freeze({
    since_seq: 0,
    batch_size: 10,
    flush_interval: 0.5,
    onEvent: null,
    onStateChange: null,
    onError: null,
    onReconnect: null,
    onEnd: null,
    reconnectDelay: 1000,
    maxReconnectDelay: 30000,
    reconnectBackoff: 2,
    maxReconnectAttempts: Infinity,
    autoReconnect: true,
    gapDetection: true,
    baseUrl: '',
    token: null,
    keepaliveInterval: 30000,
    persist: false,
    fetch: null,
});

/** Why a connection or a read failed. `retryable` says whether the service will try again by itself. */
export class StreamError extends Error {
    constructor(message, { reason, status = 0, problem = null, retryable = false, retryAfterMs = 0, cause } = {}) {
        super(message, cause === undefined ? undefined : { cause });
        this.name = 'StreamError';
        this.reason = reason;
        this.status = status;
        this.problem = problem;
        this.retryable = retryable;
        this.retryAfterMs = retryAfterMs;
    }
}

export class EventStreamService {
    static States = States;

    /**
     * @param {string} taskId
     * @param {object} [options] see EventStreamService.d.ts
     */
    constructor(taskId, options = {}) {
        if (typeof taskId !== 'string' || taskId.length === 0) {
            throw new TypeError('EventStreamService: taskId must be a non-empty string');
        }

        this.taskId = taskId;
        // Kept public and read at call time: PR-V3 code assigns callbacks after construction (stream.options.onStateChange = ...).
        this.options = { ...DEFAULT_OPTIONS, ...options };

        this.state = States.DISCONNECTED;
        /** The seq of the last event handed to onEvent: the resume point. */
        this.lastSeq = Math.max(toSeq(this.options.since_seq), this._readPersisted());
        this.reconnectAttempts = 0;
        this.currentReconnectDelay = 0;
        this.reconnectTimer = null;
        this.stats = emptyStats();

        this._run = 0;              // bumped by start() and stop(): late callbacks of an older run are ignored
        this._connection = null;    // { controller, generation } of the open or opening stream
        this._generation = 0;       // bumped per connection attempt
        this._runController = null; // aborts REST reads of the current run
        this._watchdogTimer = null;
        this._recoveryTimer = null;
        this._recovery = null;
        this._held = new Map();     // seq -> event, waiting for the seqs before it
        this._highestSeq = this.lastSeq;
        this._openGaps = [];        // [{ from, to }] in seq order, until delivered past `to`
        this._ended = null;         // { status, last_seq } once the server said the task ended
        this._recoverUpTo = null;   // set by _handleGap: recover up to here even with nothing held
        this._forceTokenRefresh = false;
        this._lastMeta = {};
        this._tokenRefreshed = false;
        this._hasConnected = false;
        this._persistQueued = false;
        this._onOnline = () => this._handleOnline();
        this._onOffline = () => this._handleOffline();
    }

    /** Opens the stream (after the last delivered seq). Also the way back from `error` or after `end`. */
    start() {
        if (this.state !== States.DISCONNECTED && this.state !== States.ERROR) {
            console.warn('[EventStreamService] Already started');
            return;
        }

        this._run++;
        this._runController = new AbortController();
        this._ended = null;
        this._tokenRefreshed = false;
        this._hasConnected = false;
        this.reconnectAttempts = 0;
        this.currentReconnectDelay = 0;
        this._addNetworkListeners();
        this._connect(States.CONNECTING, { attempt: 0, delay: 0 });
    }

    /** Closes the stream; no connection, request or timer is left running. */
    stop() {
        this._shutdown();
        this._setState(States.DISCONNECTED, { reason: 'stopped' });
    }

    getState() {
        return this.state;
    }

    getStats() {
        return {
            ...this.stats,
            lastSeq: this.lastSeq,
            pendingEvents: this._held.size,
            recovering: this._recovery !== null,
        };
    }

    resetStats() {
        this.stats = emptyStats();
    }

    /**
     * Fills the seqs missing before `untilSeq` from the REST API now (PR-V3's manual recovery hook).
     * Normally it runs by itself when a gap is seen.
     */
    _handleGap(untilSeq) {
        const upTo = toSeq(untilSeq) - 1;
        if (upTo > this._highestSeq) {
            this._openGap(this._highestSeq + 1, upTo);
            this._highestSeq = upTo;
            this._recoverUpTo = Math.max(this._recoverUpTo ?? 0, upTo);
        }

        return this._recover();
    }

    // ---------------------------------------------------------------- connection

    async _connect(state, meta) {
        this._closeConnection();
        const run = this._run;
        const generation = ++this._generation;
        const controller = new AbortController();
        this._connection = { controller, generation };
        this._setState(state, meta);
        // A connect that hangs before any byte is as dead as a stream gone silent.
        this._armWatchdog(generation);

        const refreshing = this._forceTokenRefresh === true;
        let token;
        try {
            token = await this._token();
        } catch (error) {
            if (this._isCurrent(run, generation)) {
                this._tokenFailed(error, refreshing);
            }
            return;
        }

        if (!this._isCurrent(run, generation)) {
            return;
        }

        if (refreshing && !token) {
            this._tokenFailed(null, refreshing);
            return;
        }

        let response;
        try {
            response = await this._fetch(this._streamUrl(), {
                headers: authHeaders(token, { Accept: 'text/event-stream' }),
                cache: 'no-store',
                signal: controller.signal,
            });
        } catch (error) {
            if (this._isCurrent(run, generation) && !controller.signal.aborted) {
                this._connectionFailed(asNetworkError(error));
            }
            return;
        }

        if (!this._isCurrent(run, generation)) {
            response.body?.cancel().catch(() => {});
            return;
        }

        if (!response.ok || !isEventStream(response)) {
            const error = await errorFromResponse(response, 'stream');
            if (!this._isCurrent(run, generation)) {
                return;
            }

            if (error.status === 401 && this._canRefreshToken()) {
                this._tokenRefreshed = true;
                this._forceTokenRefresh = true;
                this._connect(this.state, { ...this._lastMeta, delay: 0 });
                return;
            }

            this._connectionFailed(error);
            return;
        }

        const resumed = this._hasConnected;
        this._hasConnected = true;
        this._tokenRefreshed = false;
        this.reconnectAttempts = 0;
        this.currentReconnectDelay = 0;
        this._setState(States.CONNECTED, { attempt: 0, delay: 0, lastSeq: this.lastSeq, resumed });
        if (resumed) {
            this._callback('onReconnect', this.lastSeq);
        }

        await this._read(response, run, generation, controller);
    }

    async _read(response, run, generation, controller) {
        const parser = new SseParser(
            (message) => this._handleMessage(message, run, generation),
            () => { /* a comment: the keepalive; reading it already fed the watchdog */ });
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        try {
            while (true) {
                const { value, done } = await reader.read();
                if (!this._isCurrent(run, generation)) {
                    return;
                }

                if (done) {
                    break;
                }

                this._armWatchdog(generation);
                parser.feed(value);
            }
        } catch (error) {
            if (this._isCurrent(run, generation) && !controller.signal.aborted) {
                this._connectionFailed(asNetworkError(error));
            }
            return;
        } finally {
            reader.cancel().catch(() => {});
        }

        if (this._isCurrent(run, generation) && !this._ended) {
            // The server closed without an `end`: a proxy timeout, a crash. Resume elsewhere.
            this._connectionFailed(new StreamError('The server closed the stream.', { reason: 'stream_closed', retryable: true }));
        }
    }

    _handleMessage(message, run, generation) {
        if (!this._isCurrent(run, generation) || message.data === '') {
            return;
        }

        let data;
        try {
            data = JSON.parse(message.data);
        } catch (error) {
            this._report(new StreamError('A stream message was not JSON.', { reason: 'protocol', retryable: true, cause: error }));
            return;
        }

        if (data === null || typeof data !== 'object') {
            return;
        }

        if (typeof data.type === 'string' && !('seq' in data)) {
            this._handleControl(data);
            return;
        }

        this._accept(data);
    }

    _handleControl(control) {
        switch (control.type) {
            case 'end':
                this._ended = { status: control.status ?? null, last_seq: toSeq(control.last_seq) };
                this._closeConnection();
                this._finishIfComplete();
                if (this._ended && this.lastSeq < this._ended.last_seq) {
                    this._recover();
                }
                break;
            case 'reconnect': {
                if (control.reason === 'token_expired') {
                    this._renewToken();
                    break;
                }

                // Planned (a replica shutting down, a stream's event limit): not a failure, so no attempt is counted;
                // a jittered pause spreads the clients of a stopping replica over the others.
                this._closeConnection();
                const delay = Math.floor(Math.random() * this.options.reconnectDelay);
                this._scheduleConnect(delay, { attempt: 0, reason: control.reason ?? 'server_request' });
                break;
            }
            case 'error':
                this._connectionFailed(new StreamError(String(control.error ?? control.message ?? 'The server reported an error.'),
                    { reason: 'server_error', retryable: true }));
                break;
            default:
                // Unknown control messages are ignored so newer servers can add some.
                break;
        }
    }

    /**
     * The server ended the stream because its token expired. Nothing failed and nothing needs spreading out, so no
     * backoff and no state change: ask for a fresh token and resume after the last delivered seq at once.
     */
    _renewToken() {
        this._closeConnection();
        this.stats.reconnects++;
        if (typeof this.options.token !== 'function') {
            this._tokenFailed(null, true);
            return;
        }

        this._forceTokenRefresh = true;
        // The fresh token is the best there is: a 401 with it is final, not a reason to refresh again.
        this._tokenRefreshed = true;
        this._connect(this.state, { ...this._lastMeta, attempt: 0, delay: 0, reason: 'token_expired' });
    }

    /**
     * The token function threw or gave nothing. A forced refresh that fails is final (the `error` state shows it)
     * rather than a loop of connections with a token the server will refuse; an ordinary call that throws is
     * treated like a network failure and retried.
     */
    _tokenFailed(error, refreshing) {
        if (!refreshing) {
            this._connectionFailed(asNetworkError(error));
            return;
        }

        const detail = error ? `: ${error?.message ?? error}` : typeof this.options.token === 'function'
            ? ': the token function returned no token'
            : ': there is no token function to ask';
        this._connectionFailed(new StreamError(`Could not refresh the access token${detail}.`,
            { reason: 'token_refresh_failed', cause: error ?? undefined }));
    }

    /** A connection attempt or an open stream failed: retry with backoff, or stop for good. */
    _connectionFailed(error) {
        this._closeConnection();
        this._report(error);
        if (!error.retryable) {
            this._fail(error);
            return;
        }

        if (!this.options.autoReconnect) {
            this._fail(error);
            return;
        }

        if (this.reconnectAttempts >= this.options.maxReconnectAttempts) {
            this._fail(new StreamError(`Gave up after ${this.reconnectAttempts} reconnect attempts.`,
                { reason: 'max_reconnect_attempts', cause: error }));
            return;
        }

        this.reconnectAttempts++;
        const ceiling = Math.min(this.options.maxReconnectDelay,
            this.options.reconnectDelay * Math.pow(this.options.reconnectBackoff, this.reconnectAttempts - 1));
        // Full jitter: anywhere from 0 to the ceiling, so clients that lost the same server do not return together.
        const delay = Math.max(Math.floor(Math.random() * ceiling), error.retryAfterMs || 0);
        this._scheduleConnect(delay, { attempt: this.reconnectAttempts, reason: error.reason, error });
    }

    _scheduleConnect(delay, meta) {
        this._clearReconnectTimer();
        this.stats.reconnects++;
        this.currentReconnectDelay = delay;
        const run = this._run;
        this.reconnectTimer = setTimeout(() => {
            this.reconnectTimer = null;
            if (run === this._run) {
                this._connect(States.RECONNECTING, { ...meta, delay: 0 });
            }
        }, delay);
        this._setState(States.RECONNECTING, { ...meta, delay });
    }

    /** Ends the run in the `error` state: nothing retries until start() is called again. */
    _fail(error) {
        this._shutdown();
        this._setState(States.ERROR, { reason: error.reason, status: error.status, error, attempt: this.reconnectAttempts });
    }

    _finishIfComplete() {
        if (!this._ended || this.lastSeq < this._ended.last_seq || this._held.size > 0) {
            return;
        }

        const ended = this._ended;
        this._shutdown();
        this._setState(States.DISCONNECTED, { reason: 'ended', status: ended.status, lastSeq: this.lastSeq });
        this._callback('onEnd', { status: ended.status, last_seq: ended.last_seq });
    }

    /** Stops everything of the current run: connection, REST reads, timers, listeners. */
    _shutdown() {
        this._run++;
        this._closeConnection();
        this._clearReconnectTimer();
        clearTimeout(this._recoveryTimer);
        this._recoveryTimer = null;
        this._runController?.abort();
        this._runController = null;
        this._recovery = null;
        this._recoverUpTo = null;
        this._removeNetworkListeners();
        this._flushPersisted();
        // Held events come again from the stream, which resumes after the last delivered seq.
        this._held.clear();
        this._highestSeq = this.lastSeq;
        this._openGaps = [];
    }

    _closeConnection() {
        clearTimeout(this._watchdogTimer);
        this._watchdogTimer = null;
        if (this._connection) {
            this._connection.controller.abort();
            this._connection = null;
        }
    }

    _clearReconnectTimer() {
        if (this.reconnectTimer) {
            clearTimeout(this.reconnectTimer);
            this.reconnectTimer = null;
        }
    }

    _armWatchdog(generation) {
        clearTimeout(this._watchdogTimer);
        const interval = this.options.keepaliveInterval;
        if (!(interval > 0)) {
            return;
        }

        this._watchdogTimer = setTimeout(() => {
            this._watchdogTimer = null;
            if (this._connection?.generation === generation) {
                this._connectionFailed(new StreamError(`No data or keepalive for ${Math.round(interval * 2.5)} ms.`,
                    { reason: 'heartbeat_timeout', retryable: true }));
            }
        }, interval * 2.5);
    }

    _isCurrent(run, generation) {
        return run === this._run && this._connection?.generation === generation;
    }

    // ---------------------------------------------------------------- ordering and gaps

    _accept(event) {
        const seq = event.seq;
        if (!Number.isSafeInteger(seq) || seq < 1) {
            this._report(new StreamError('An event without a valid seq was ignored.', { reason: 'protocol', retryable: true }));
            return;
        }

        if (seq <= this.lastSeq || this._held.has(seq)) {
            this.stats.duplicatesDropped++;
            return;
        }

        if (!this.options.gapDetection || seq === this.lastSeq + 1) {
            this._deliver(event);
            this._drain();
            return;
        }

        if (seq > this._highestSeq + 1) {
            this._openGap(this._highestSeq + 1, seq - 1);
        }

        this._held.set(seq, event);
        this._highestSeq = Math.max(this._highestSeq, seq);
        this._recover();
    }

    _openGap(from, to) {
        this._openGaps.push({ from, to });
        this.stats.gapsDetected++;
        console.warn(`[EventStreamService] Gap detected: seq ${from}..${to} missing from the stream of task ${this.taskId}`);
    }

    _deliver(event) {
        this.lastSeq = event.seq;
        this._highestSeq = Math.max(this._highestSeq, event.seq);
        this.stats.eventsReceived++;
        while (this._openGaps.length > 0 && this._openGaps[0].to <= this.lastSeq) {
            this._openGaps.shift();
            this.stats.gapsRecovered++;
        }

        this._queuePersist();
        this._callback('onEvent', event);
    }

    _drain() {
        let next;
        while ((next = this._held.get(this.lastSeq + 1)) !== undefined) {
            this._held.delete(next.seq);
            this._deliver(next);
        }

        this._finishIfComplete();
    }

    /** The highest seq that is known to exist but has not arrived: the end of the first hole. */
    _missingUpTo() {
        if (this._held.size > 0) {
            let lowestHeld = Infinity;
            for (const seq of this._held.keys()) {
                lowestHeld = Math.min(lowestHeld, seq);
            }
            return lowestHeld - 1;
        }

        return Math.max(this._ended?.last_seq ?? 0, this._recoverUpTo ?? 0);
    }

    /** Reads missing events from the REST API until no hole is left; one reader at a time. */
    _recover() {
        if (this._recovery) {
            return this._recovery;
        }

        const run = this._run;
        const signal = this._runController?.signal;
        this._recovery = (async () => {
            // Nothing runs before this._recovery is set, so the finally below always clears a set value.
            await undefined;
            try {
                let upTo;
                while (run === this._run && (upTo = this._missingUpTo()) > this.lastSeq) {
                    const limit = Math.min(MAX_PAGE, upTo - this.lastSeq);
                    const page = await this._readPage(this.lastSeq, limit, signal);
                    if (run !== this._run) {
                        return;
                    }

                    const before = this.lastSeq;
                    for (const event of page.events) {
                        if (event.seq > this.lastSeq && event.seq <= upTo) {
                            this.stats.eventsRecovered++;
                            this._deliver(event);
                        }
                    }

                    this._drain();
                    if (this.lastSeq === before && this._missingUpTo() > this.lastSeq) {
                        throw new StreamError(`The REST API has no events after seq ${before} yet.`, { reason: 'recovery_incomplete', retryable: true });
                    }
                }

                if (run === this._run) {
                    this._recoverUpTo = null;
                }
            } catch (error) {
                if (run !== this._run || signal?.aborted) {
                    return;
                }

                const failure = error instanceof StreamError ? error : asNetworkError(error);
                if (!failure.retryable) {
                    this._report(failure);
                    this._fail(failure);
                    return;
                }

                this._report(failure);
                // Try again later; a reconnecting stream may fill the hole first.
                clearTimeout(this._recoveryTimer);
                this._recoveryTimer = setTimeout(() => {
                    this._recoveryTimer = null;
                    if (run === this._run) {
                        this._recover();
                    }
                }, Math.max(failure.retryAfterMs || 0, this.options.reconnectDelay));
            } finally {
                if (run === this._run) {
                    this._recovery = null;
                    this._finishIfComplete();
                }
            }
        })();
        return this._recovery;
    }

    async _readPage(sinceSeq, limit, signal) {
        const url = `${this.options.baseUrl}/api/tasks/${encodeURIComponent(this.taskId)}/events?since_seq=${sinceSeq}&limit=${limit}`;
        let refreshed = false;
        while (true) {
            const token = await this._token();
            const response = await this._fetch(url, { headers: authHeaders(token, { Accept: 'application/json' }), cache: 'no-store', signal });
            if (response.ok) {
                const page = await response.json();
                return { events: Array.isArray(page.events) ? page.events : [] };
            }

            const error = await errorFromResponse(response, 'read');
            if (error.status === 401 && !refreshed && typeof this.options.token === 'function') {
                refreshed = true;
                this._forceTokenRefresh = true;
                continue;
            }

            throw error;
        }
    }

    // ---------------------------------------------------------------- tokens, network, persistence

    async _token() {
        const token = this.options.token;
        if (typeof token === 'function') {
            const forceRefresh = this._forceTokenRefresh === true;
            this._forceTokenRefresh = false;
            return await token({ forceRefresh });
        }

        return token || null;
    }

    _canRefreshToken() {
        return typeof this.options.token === 'function' && !this._tokenRefreshed;
    }

    _fetch(url, init) {
        const fetchImpl = this.options.fetch ?? globalThis.fetch;
        return fetchImpl.call(globalThis, url, init);
    }

    _streamUrl() {
        const params = new URLSearchParams({
            since_seq: String(this.lastSeq),
            batch_size: String(this.options.batch_size),
            flush_interval: String(this.options.flush_interval),
        });
        return `${this.options.baseUrl}/sse/tasks/${encodeURIComponent(this.taskId)}/events?${params}`;
    }

    _addNetworkListeners() {
        if (typeof window !== 'undefined' && window.addEventListener) {
            window.addEventListener('online', this._onOnline);
            window.addEventListener('offline', this._onOffline);
        }
    }

    _removeNetworkListeners() {
        if (typeof window !== 'undefined' && window.removeEventListener) {
            window.removeEventListener('online', this._onOnline);
            window.removeEventListener('offline', this._onOffline);
        }
    }

    /** The browser says the network is gone: the open stream is dead even if its socket has not noticed yet. */
    _handleOffline() {
        if (this._connection) {
            this._connectionFailed(new StreamError('The browser went offline.', { reason: 'offline', retryable: true }));
        }
    }

    /** The network is back: skip the rest of the backoff wait. */
    _handleOnline() {
        if (this.state === States.RECONNECTING && this.reconnectTimer) {
            this._clearReconnectTimer();
            this._connect(States.RECONNECTING, { ...this._lastMeta, delay: 0, reason: 'online' });
        }
    }

    _persistKey() {
        const persist = this.options.persist;
        if (!persist) {
            return null;
        }

        return typeof persist === 'string' ? persist : `taskevents:last_seq:${this.taskId}`;
    }

    _readPersisted() {
        const key = this._persistKey();
        if (!key) {
            return 0;
        }

        try {
            return toSeq(globalThis.localStorage?.getItem(key));
        } catch {
            return 0; // storage disabled
        }
    }

    _queuePersist() {
        if (!this._persistKey() || this._persistQueued) {
            return;
        }

        // One write per burst of events rather than one per event.
        this._persistQueued = true;
        queueMicrotask(() => this._flushPersisted());
    }

    _flushPersisted() {
        const key = this._persistKey();
        if (!key || !this._persistQueued) {
            return;
        }

        this._persistQueued = false;
        try {
            globalThis.localStorage?.setItem(key, String(this.lastSeq));
        } catch {
            // Storage full or disabled: resuming after a reload is best effort.
        }
    }

    // ---------------------------------------------------------------- callbacks

    _setState(state, meta = {}) {
        const prev = this.state;
        // Each new reconnect wait is announced, even while already reconnecting, so a countdown can restart.
        if (state === prev && !(state === States.RECONNECTING && meta.delay > 0)) {
            return;
        }

        this.state = state;
        const full = {
            attempt: 0,
            delay: 0,
            maxAttempts: this.options.maxReconnectAttempts,
            ...meta,
        };
        // The PR-V3 ConnectionStatus reads these names.
        full.reconnectAttempt = full.attempt;
        full.reconnectDelay = full.delay;
        full.maxReconnectAttempts = full.maxAttempts;
        this._lastMeta = full;
        this._callback('onStateChange', state, prev, full);
    }

    _report(error) {
        this.stats.errors++;
        this._callback('onError', error);
    }

    _callback(name, ...args) {
        const callback = this.options[name];
        if (typeof callback !== 'function') {
            return;
        }

        try {
            callback(...args);
        } catch (error) {
            // A throwing handler must not break delivery to the next event.
            console.error(`[EventStreamService] ${name} threw`, error);
        }
    }
}

/**
 * An incremental text/event-stream parser (WHATWG HTML, "event stream interpretation"): lines end in CRLF, LF
 * or CR, a blank line dispatches, `:` starts a comment.
 */
class SseParser {
    constructor(onMessage, onComment) {
        this._onMessage = onMessage;
        this._onComment = onComment;
        this._buffer = '';
        this._data = [];
        this._event = '';
        this._id = null;
        this._first = true;
    }

    feed(text) {
        if (this._first && text.length > 0) {
            this._first = false;
            if (text.charCodeAt(0) === 0xfeff) {
                text = text.slice(1);
            }
        }

        this._buffer += text;
        let start = 0;
        const buffer = this._buffer;
        for (let i = 0; i < buffer.length; i++) {
            const c = buffer.charCodeAt(i);
            if (c !== 10 && c !== 13) {
                continue;
            }

            if (c === 13 && i + 1 === buffer.length) {
                break; // a CR at the end may be the first half of a CRLF: wait for more
            }

            this._line(buffer.slice(start, i));
            if (c === 13 && buffer.charCodeAt(i + 1) === 10) {
                i++;
            }
            start = i + 1;
        }

        this._buffer = buffer.slice(start);
    }

    _line(line) {
        if (line === '') {
            if (this._data.length > 0) {
                this._onMessage({ data: this._data.join('\n'), event: this._event || 'message', id: this._id });
            }
            this._data = [];
            this._event = '';
            return;
        }

        if (line.charCodeAt(0) === 58 /* : */) {
            this._onComment(line.slice(1).trimStart());
            return;
        }

        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.charCodeAt(0) === 32) {
            value = value.slice(1);
        }

        switch (field) {
            case 'data':
                this._data.push(value);
                break;
            case 'event':
                this._event = value;
                break;
            case 'id':
                if (!value.includes('\0')) {
                    this._id = value;
                }
                break;
            default:
                // `retry:` is EventSource's fixed reconnection delay; our jittered backoff replaces it on purpose.
                break;
        }
    }
}

function emptyStats() {
    return { eventsReceived: 0, reconnects: 0, errors: 0, gapsDetected: 0, gapsRecovered: 0, duplicatesDropped: 0, eventsRecovered: 0 };
}

function toSeq(value) {
    const seq = Number(value);
    return Number.isSafeInteger(seq) && seq > 0 ? seq : 0;
}

function authHeaders(token, headers) {
    return token ? { ...headers, Authorization: `Bearer ${token}` } : headers;
}

function isEventStream(response) {
    return (response.headers.get('Content-Type') ?? '').toLowerCase().startsWith('text/event-stream');
}

function asNetworkError(error) {
    if (error instanceof StreamError) {
        return error;
    }

    return new StreamError(`Network error: ${error?.message ?? error}`, { reason: 'network', retryable: true, cause: error });
}

const REASONS = {
    400: 'bad_request',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not_found',
    408: 'timeout',
    429: 'rate_limited',
};

/** Turns a refused response into a StreamError, keeping the problem+json details when there are some. */
async function errorFromResponse(response, what) {
    const status = response.status;
    let problem = null;
    try {
        const type = response.headers.get('Content-Type') ?? '';
        if (type.includes('json')) {
            problem = await response.json();
        } else {
            await response.body?.cancel();
        }
    } catch {
        problem = null;
    }

    if (response.ok) {
        return new StreamError(`The ${what} answered ${response.headers.get('Content-Type') || 'no content type'}, not text/event-stream.`,
            { reason: 'protocol', status, retryable: true });
    }

    // 4xx means this request will not succeed by repeating it; 408 and 429 are the exceptions.
    const retryable = status >= 500 || status === 408 || status === 429;
    const reason = REASONS[status] ?? (status >= 500 ? 'server_error' : 'client_error');
    const message = [String(status), problem?.title ?? response.statusText, problem?.detail].filter(Boolean).join(' ');
    return new StreamError(message, {
        reason,
        status,
        problem,
        retryable,
        retryAfterMs: retryAfterMs(response.headers.get('Retry-After')),
    });
}

function retryAfterMs(header) {
    if (!header) {
        return 0;
    }

    const seconds = Number(header);
    if (Number.isFinite(seconds)) {
        return Math.max(0, seconds * 1000);
    }

    const date = Date.parse(header);
    return Number.isFinite(date) ? Math.max(0, date - Date.now()) : 0;
}

export default EventStreamService;

// PR-V3 pages load it as a classic script too.
if (typeof window !== 'undefined') {
    window.EventStreamService = EventStreamService;
}
