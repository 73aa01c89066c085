/** Type declarations for EventStreamService.js (an ES module with no build step). */

export type StreamState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting' | 'error';

/** Why a stream failed or stopped. */
export type StreamErrorReason =
    | 'unauthorized' | 'forbidden' | 'not_found' | 'bad_request' | 'client_error' | 'timeout' | 'rate_limited'
    | 'server_error' | 'network' | 'offline' | 'heartbeat_timeout' | 'stream_closed' | 'protocol'
    | 'recovery_incomplete' | 'max_reconnect_attempts'
    /** The token function threw or returned nothing when asked for a fresh token (forceRefresh). Not retried. */
    | 'token_refresh_failed';

/** An event as the Api stores and streams it. */
export interface TaskEvent {
    seq: number;
    event_id: string;
    task_id: string;
    event_type: string;
    phase: string | null;
    actor: string | null;
    span_id: string | null;
    parent_span_id: string | null;
    payload: Record<string, unknown>;
    /** ISO 8601 UTC with microseconds, e.g. 2025-01-15T10:30:00.123456Z. */
    created_at: string;
}

/** The third argument of onStateChange. */
export interface StateMeta {
    /** Reconnect attempt being waited for (1-based); 0 when not reconnecting or for a server-requested reconnect. */
    attempt: number;
    /** Milliseconds until the next connection attempt (0 when there is no wait). */
    delay: number;
    maxAttempts: number;
    /** Why the state was entered: a StreamErrorReason, 'stopped', 'ended', 'online', or a server `reconnect` reason (not `token_expired`: that renewal keeps the state). */
    reason?: string;
    /** HTTP status of a refused connection (error state). */
    status?: number;
    error?: StreamError;
    /** With `connected`: the resume point, and whether this is a reconnection. */
    lastSeq?: number;
    resumed?: boolean;
    /** The same values under the names the PR-V3 ConnectionStatus reads. */
    reconnectAttempt: number;
    reconnectDelay: number;
    maxReconnectAttempts: number;
}

export interface StreamStats {
    /** Events handed to onEvent. */
    eventsReceived: number;
    /** Reconnections scheduled. */
    reconnects: number;
    /** Failures reported through onError. */
    errors: number;
    gapsDetected: number;
    gapsRecovered: number;
    duplicatesDropped: number;
    /** Events that came from the REST API to fill gaps. */
    eventsRecovered: number;
    lastSeq: number;
    /** Events held back while a gap before them is filled. */
    pendingEvents: number;
    recovering: boolean;
}

/**
 * Supplies the bearer token; called before each connection and REST read. `forceRefresh` is true once after a 401,
 * and when the server ended the stream because its token expired (`reconnect` with reason `token_expired`): return a
 * new token then, not a cached one.
 *
 * Token expiry: the server ends a stream when the token it was opened with expires, after sending every event due.
 * The service then asks for a fresh token and resumes after the last delivered seq at once (no backoff, no gap, no
 * duplicate), staying `connected` (onReconnect is called, stats.reconnects counts it). If the function throws or
 * returns null/'' when forced, the service stops in the `error` state with reason `token_refresh_failed`; with a
 * plain string token there is nothing to refresh, which ends the same way. A stream's tenant and scopes are decided
 * once, from the token it was opened with; a refreshed token is checked in full when the stream reopens.
 */
export type TokenProvider = (context: { forceRefresh: boolean }) => string | null | Promise<string | null>;

export interface EventStreamOptions {
    /** Start after this seq (exclusive). Default 0. */
    since_seq?: number;
    /** Server batch size, 1-100. Default 10. */
    batch_size?: number;
    /** Server flush interval in seconds, 0.1-5. Default 0.5. */
    flush_interval?: number;
    /** Every event exactly once, in seq order. */
    onEvent?: ((event: TaskEvent) => void) | null;
    onStateChange?: ((state: StreamState, prevState: StreamState, meta: StateMeta) => void) | null;
    onError?: ((error: StreamError) => void) | null;
    /** A reconnection succeeded; delivery resumes after lastSeq. */
    onReconnect?: ((lastSeq: number) => void) | null;
    /** The task ended (the server's `end` message) and every event up to last_seq was delivered. */
    onEnd?: ((info: { status: string | null; last_seq: number }) => void) | null;
    /** First reconnect delay ceiling, ms. Default 1000. */
    reconnectDelay?: number;
    /** Largest reconnect delay ceiling, ms. Default 30000. */
    maxReconnectDelay?: number;
    /** Ceiling growth per attempt. Default 2. The actual delay is random in [0, ceiling) (full jitter). */
    reconnectBackoff?: number;
    /** Default Infinity. */
    maxReconnectAttempts?: number;
    /** Default true. When false, a failure ends in the `error` state. */
    autoReconnect?: boolean;
    /** Hold events after a gap and fill it from the REST API. Default true. */
    gapDetection?: boolean;
    /** Prefix for /sse and /api URLs, e.g. https://gateway.example.com. Default '' (same origin). */
    baseUrl?: string;
    /** Bearer token, or a function returning one. Sent as an Authorization header. Streams end when their token expires: only a function can supply the next one. */
    token?: string | TokenProvider | null;
    /** The server's keepalive interval, ms; a stream silent for 2.5x this is dropped and resumed. 0 disables. Default 30000. */
    keepaliveInterval?: number;
    /** Remember the last delivered seq in localStorage (key taskevents:last_seq:<taskId>, or this string) to resume after a reload. */
    persist?: boolean | string;
    /** fetch() to use instead of the global one. */
    fetch?: typeof fetch | null;
}

export declare class StreamError extends Error {
    readonly name: 'StreamError';
    readonly reason: StreamErrorReason;
    /** HTTP status, or 0 when there was no response. */
    readonly status: number;
    /** The problem+json body of a refused request, when there was one. */
    readonly problem: { type?: string; title?: string; status?: number; detail?: string; [key: string]: unknown } | null;
    /** Whether the service retries by itself after this error. */
    readonly retryable: boolean;
    readonly retryAfterMs: number;
}

export declare class EventStreamService {
    static readonly States: {
        readonly DISCONNECTED: 'disconnected';
        readonly CONNECTING: 'connecting';
        readonly CONNECTED: 'connected';
        readonly RECONNECTING: 'reconnecting';
        readonly ERROR: 'error';
    };

    constructor(taskId: string, options?: EventStreamOptions);

    readonly taskId: string;
    /** Read at call time, so callbacks may be assigned after construction. */
    options: Required<Omit<EventStreamOptions, 'token' | 'fetch'>> & Pick<EventStreamOptions, 'token' | 'fetch'>;
    readonly state: StreamState;
    /** The seq of the last event delivered to onEvent. */
    readonly lastSeq: number;
    readonly reconnectAttempts: number;
    /** The current reconnect wait, ms. */
    readonly currentReconnectDelay: number;
    readonly stats: Omit<StreamStats, 'lastSeq' | 'pendingEvents' | 'recovering'>;

    /** Connects (resuming after lastSeq). Also restarts after `error`, `stop()` or the end of the task. */
    start(): void;
    /** Closes the connection and cancels every timer and request. */
    stop(): void;
    getState(): StreamState;
    getStats(): StreamStats;
    resetStats(): void;
    /** Fills the seqs before `untilSeq` from the REST API now (PR-V3's manual recovery hook). */
    _handleGap(untilSeq: number): Promise<void>;
}

export default EventStreamService;

declare global {
    interface Window {
        EventStreamService: typeof EventStreamService;
    }
}
