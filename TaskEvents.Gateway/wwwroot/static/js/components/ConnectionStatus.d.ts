/** Type declarations for ConnectionStatus.js (an ES module with no build step). */

import type { StateMeta, StreamState, StreamStats } from '../services/EventStreamService.js';

export interface ConnectionStatusOptions {
    container: HTMLElement;
    /** One line, no detail or stats. Default false. */
    compact?: boolean;
    /** Show events, reconnects, errors, gaps, gaps recovered and last seq. Default false. */
    showStats?: boolean;
    /** Show "Retry in Ns" while reconnecting. Default true. */
    showReconnectTimer?: boolean;
}

/** PR-V3's meta names; EventStreamService's StateMeta carries both sets. */
export interface LegacyStatusMeta {
    reconnectAttempt?: number;
    maxReconnectAttempts?: number;
    reconnectDelay?: number;
}

export declare class ConnectionStatus {
    constructor(options: ConnectionStatusOptions);

    readonly options: Required<ConnectionStatusOptions>;
    readonly state: StreamState;
    readonly element: HTMLElement;

    /**
     * Shows a state: "Connected (realtime)", "Connecting...", "Reconnecting (attempt N/M)" with "Retry in Ns",
     * "Disconnected", "Connection error" with its reason. Bound, so it can be passed as onStateChange directly.
     */
    setState(state: StreamState, meta?: Partial<StateMeta> | LegacyStatusMeta): void;
    setState(state: StreamState, prevState: StreamState, meta?: Partial<StateMeta>): void;
    updateStats(stats: Partial<StreamStats>): void;
    destroy(): void;
}

export default ConnectionStatus;
