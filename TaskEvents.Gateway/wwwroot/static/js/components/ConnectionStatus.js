/**
 * ConnectionStatus: shows an EventStreamService's connection state, the reconnect countdown and its stats.
 *
 * The PR-V3 component's API, states, icons and messages:
 * - circle  Connected (realtime)
 * - circle  Connecting...
 * - circle  Reconnecting (attempt N/M), with "Retry in Ns" counting down
 * - circle  Disconnected
 * - cancel  Connection error, with the reason
 * The icon names are kept as data-icon; the icons themselves are drawn by connection-status.css, so no icon
 * font has to be loaded. State changes are announced to screen readers (aria-live); the countdown is not.
 *
 * @example
 * const status = new ConnectionStatus({ container: document.getElementById('status'), showStats: true });
 * const stream = new EventStreamService(taskId, {
 *     onStateChange: (state, prev, meta) => status.setState(state, meta),
 *     onEvent: () => status.updateStats(stream.getStats()),
 * });
 */

const ICONS = Object.freeze({
    connected: 'circle',
    connecting: 'circle',
    reconnecting: 'circle',
    disconnected: 'circle',
    error: 'cancel',
});

const STAT_LABELS = Object.freeze([
    ['eventsReceived', 'Events'],
    ['reconnects', 'Reconnects'],
    ['errors', 'Errors'],
    ['gapsDetected', 'Gaps'],
    ['gapsRecovered', 'Gaps recovered'],
    ['lastSeq', 'Last seq'],
]);

export class ConnectionStatus {
    /**
     * @param {object} options
     * @param {HTMLElement} options.container
     * @param {boolean} [options.compact=false]
     * @param {boolean} [options.showStats=false]
     * @param {boolean} [options.showReconnectTimer=true]
     */
    constructor(options = {}) {
        this.options = {
            container: null,
            compact: false,
            showStats: false,
            showReconnectTimer: true,
            ...options,
        };

        if (!this.options.container) {
            throw new Error('ConnectionStatus: container is required');
        }

        this.state = 'disconnected';
        this.reconnectAttempt = 0;
        this.maxReconnectAttempts = Infinity;
        this.reconnectDelay = 0;
        this.reason = '';
        this.reconnectTimer = null;
        this.stats = { eventsReceived: 0, reconnects: 0, errors: 0, gapsDetected: 0, gapsRecovered: 0, lastSeq: 0 };

        this.element = null;
        this.indicatorElement = null;
        this.messageElement = null;
        this.detailElement = null;
        this.timerElement = null;
        this.statsElement = null;
        this._statValues = new Map();

        // Bound, so `onStateChange: status.setState` works without a wrapper.
        this.setState = this.setState.bind(this);
        this._render();
    }

    /**
     * Shows a state. Accepts EventStreamService's meta ({attempt, maxAttempts, delay, error}) or PR-V3's
     * ({reconnectAttempt, maxReconnectAttempts, reconnectDelay}); also the callback form (state, prevState, meta).
     */
    setState(state, meta = {}, maybeMeta = undefined) {
        if (typeof meta === 'string' || meta === null) {
            meta = maybeMeta ?? {};
        }

        this.state = state;
        this.reconnectAttempt = meta.attempt ?? meta.reconnectAttempt ?? 0;
        this.maxReconnectAttempts = meta.maxAttempts ?? meta.maxReconnectAttempts ?? Infinity;
        this.reconnectDelay = meta.delay ?? meta.reconnectDelay ?? 0;
        this.reason = describeReason(state, meta);

        this._update();
        if (state === 'reconnecting' && this.reconnectDelay > 0 && this.options.showReconnectTimer) {
            this._startReconnectTimer();
        } else {
            this._stopReconnectTimer();
        }
    }

    /** Merges and shows stats (EventStreamService.getStats()). */
    updateStats(stats) {
        this.stats = { ...this.stats, ...stats };
        if (this.options.showStats) {
            this._updateStats();
        }
    }

    destroy() {
        this._stopReconnectTimer();
        this.element?.remove();
    }

    _render() {
        const container = this.options.container;
        container.replaceChildren();

        this.element = el('div', `connection-status${this.options.compact ? ' compact' : ''}`);

        const head = el('div', 'connection-status-head');
        this.indicatorElement = el('span', 'connection-status-indicator');
        this.indicatorElement.setAttribute('aria-hidden', 'true');
        head.append(this.indicatorElement);

        // The live region holds what a screen reader should hear: the state and its reason, not the countdown.
        const live = el('div', 'connection-status-text');
        live.setAttribute('role', 'status');
        live.setAttribute('aria-live', 'polite');
        live.setAttribute('aria-atomic', 'true');
        this.messageElement = el('span', 'connection-status-message');
        this.detailElement = el('span', 'connection-status-detail');
        live.append(this.messageElement, this.detailElement);
        head.append(live);

        if (this.options.showReconnectTimer) {
            this.timerElement = el('span', 'connection-status-timer');
            this.timerElement.setAttribute('aria-hidden', 'true');
            head.append(this.timerElement);
        }

        this.element.append(head);

        if (this.options.showStats) {
            this.statsElement = el('dl', 'connection-status-stats');
            for (const [key, label] of STAT_LABELS) {
                const item = el('div', 'connection-status-stats-item');
                item.dataset.stat = key;
                const value = el('dd', 'value');
                item.append(el('dt', 'label', label), value);
                this.statsElement.append(item);
                this._statValues.set(key, value);
            }
            this.element.append(this.statsElement);
            this._updateStats();
        }

        container.append(this.element);
        this._update();
    }

    _update() {
        this.element.dataset.state = this.state;
        this.indicatorElement.className = `connection-status-indicator state-${this.state}`;
        this.indicatorElement.dataset.icon = ICONS[this.state] ?? 'circle';
        this.messageElement.textContent = this._getStateMessage();
        this.detailElement.textContent = this.reason;
        this.detailElement.hidden = this.reason === '';
    }

    _getStateMessage() {
        switch (this.state) {
            case 'connected': return 'Connected (realtime)';
            case 'connecting': return 'Connecting...';
            case 'reconnecting': return this._getReconnectMessage();
            case 'disconnected': return 'Disconnected';
            case 'error': return 'Connection error';
            default: return 'Unknown';
        }
    }

    _getReconnectMessage() {
        if (this.reconnectAttempt === 0) {
            return 'Reconnecting...';
        }

        const max = this.maxReconnectAttempts === Infinity ? '∞' : this.maxReconnectAttempts;
        return `Reconnecting (attempt ${this.reconnectAttempt}/${max})`;
    }

    _updateStats() {
        for (const [key, value] of this._statValues) {
            value.textContent = String(this.stats[key] ?? 0);
        }
    }

    _startReconnectTimer() {
        this._stopReconnectTimer();
        if (!this.timerElement) {
            return;
        }

        const endTime = Date.now() + this.reconnectDelay;
        const tick = () => {
            const remaining = endTime - Date.now();
            if (remaining > 0) {
                this.timerElement.textContent = `Retry in ${Math.ceil(remaining / 1000)}s`;
                // Wake at the next whole-second boundary rather than polling.
                this.reconnectTimer = setTimeout(tick, (remaining % 1000) || 1000);
            } else {
                this.reconnectTimer = null;
                this.timerElement.textContent = '';
            }
        };
        tick();
    }

    _stopReconnectTimer() {
        if (this.reconnectTimer) {
            clearTimeout(this.reconnectTimer);
            this.reconnectTimer = null;
        }

        if (this.timerElement) {
            this.timerElement.textContent = '';
        }
    }
}

/** A short human reason for the states that have one. */
function describeReason(state, meta) {
    if (state === 'error' || state === 'reconnecting') {
        const error = meta.error;
        if (error?.status === 401) {
            return 'Not signed in or the token expired (401).';
        }
        if (error?.status === 403) {
            return 'This token may not read this task (403).';
        }
        if (error?.status === 404) {
            return 'No such task (404).';
        }
        if (state === 'error' && error?.message) {
            return error.message;
        }
        return REASON_TEXT[meta.reason] ?? '';
    }

    if (state === 'disconnected' && meta.reason === 'ended') {
        return meta.status ? `Task ${meta.status}.` : 'Task ended.';
    }

    return '';
}

const REASON_TEXT = Object.freeze({
    offline: 'The browser is offline.',
    network: 'Network error.',
    heartbeat_timeout: 'No heartbeat from the server.',
    stream_closed: 'The server closed the stream.',
    server_error: 'The server had a problem.',
    rate_limited: 'Too many connections; waiting as asked.',
    server_shutdown: 'The server is restarting.',
    token_refresh_failed: 'Could not refresh the access token.',
    event_limit_reached: 'Continuing on a fresh connection.',
    online: 'Back online.',
});

function el(tag, className, text) {
    const element = document.createElement(tag);
    element.className = className;
    if (text !== undefined) {
        element.textContent = text;
    }
    return element;
}

export default ConnectionStatus;
