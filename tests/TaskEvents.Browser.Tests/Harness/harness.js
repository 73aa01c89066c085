// Test-only page script: drives the real EventStreamService and ConnectionStatus served by the gateway and
// records what they did, for the E2E tests to read.
import { EventStreamService } from '/static/js/services/EventStreamService.js';
import { ConnectionStatus } from '/static/js/components/ConnectionStatus.js';

const status = new ConnectionStatus({ container: document.getElementById('status'), showStats: true });

const harness = {
    events: [],
    states: [],
    errors: [],
    tokenCalls: [],
    tokens: null,
    tokenCursor: 0,
    ended: null,
    stream: null,

    /**
     * options: EventStreamService options, plus either `tokens`: a list handed out one per call to the token function
     * (the last one repeats), to play token expiry and refresh; or `issuedTokens`: a token source as applications
     * write one, which keeps its token until asked to refresh and then gets a new one from the test
     * (window.issueToken, exposed by it); with `failRefresh` its refreshes throw.
     */
    start(taskId, { tokens, issuedTokens, failRefresh, ...options } = {}) {
        if (tokens) {
            harness.useTokens(tokens);
            options.token = async ({ forceRefresh }) => {
                harness.tokenCalls.push(forceRefresh);
                return harness.tokens[Math.min(harness.tokenCursor++, harness.tokens.length - 1)];
            };
        }

        if (issuedTokens) {
            let current = null;
            options.token = async ({ forceRefresh }) => {
                harness.tokenCalls.push(forceRefresh);
                if (forceRefresh && failRefresh) {
                    throw new Error('the identity provider is unreachable');
                }

                if (forceRefresh || current === null) {
                    current = await window.issueToken();
                }

                return current;
            };
        }

        const stream = new EventStreamService(taskId, {
            ...options,
            onEvent: (event) => {
                harness.events.push(event.seq);
                status.updateStats(stream.getStats());
            },
            onStateChange: (state, prev, meta) => {
                harness.states.push({
                    state,
                    prev,
                    attempt: meta.attempt,
                    delay: meta.delay,
                    reason: meta.reason ?? null,
                    status: meta.status ?? meta.error?.status ?? null,
                });
                status.setState(state, meta);
                status.updateStats(stream.getStats());
            },
            onError: (error) => harness.errors.push({ reason: error.reason, status: error.status, message: error.message }),
            onEnd: (info) => { harness.ended = info; },
        });
        harness.stream = stream;
        stream.start();
    },

    /** The token function hands out these, one per call, from now on (the last one repeats). */
    useTokens(tokens) {
        harness.tokens = tokens;
        harness.tokenCursor = 0;
    },
};

window.harness = harness;
