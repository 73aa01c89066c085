/**
 * Plays an agent run into a task through the REST API, the way a runner would: runner_spawn, three phases
 * (planning, executing, verifying) with work items that start, report progress and complete (two at a time
 * while executing), progress_update from 0 to 100, and task_completed. Each event carries its own event_id,
 * so a POST retried after a network error is stored once.
 */

const PLAN = [
    {
        phase: 'planning',
        actor: 'planner',
        items: [
            { title: 'Read the issue and acceptance criteria', kind: 'analysis' },
            { title: 'Survey the repository layout', kind: 'analysis' },
        ],
        parallel: 1,
        share: 15,
    },
    {
        phase: 'executing',
        actor: 'executor',
        items: [
            { title: 'Upgrade Npgsql to 10.0', kind: 'code_change' },
            { title: 'Move telemetry setup to ServiceDefaults', kind: 'code_change' },
            { title: 'Fix nullable warnings in Storage', kind: 'code_change' },
            { title: 'Regenerate the OpenAPI document', kind: 'build' },
        ],
        parallel: 2,
        share: 65,
    },
    {
        phase: 'verifying',
        actor: 'verifier',
        items: [
            { title: 'Run unit and integration tests', kind: 'test' },
            { title: 'Run browser tests in Chromium', kind: 'test' },
        ],
        parallel: 2,
        share: 20,
    },
];

export class TaskSimulator {
    /**
     * @param {object} options
     * @param {() => Promise<string>} options.token the bearer token to write with (events:write)
     * @param {string} [options.baseUrl]
     * @param {number} [options.stepMs=300] average pause between events
     */
    constructor({ token, baseUrl = '', stepMs = 300 }) {
        this.token = token;
        this.baseUrl = baseUrl;
        this.stepMs = stepMs;
        this.running = false;
    }

    /** Emits the whole run into `taskId`; resolves when task_completed is stored. */
    async run(taskId, { signal } = {}) {
        if (this.running) {
            throw new Error('Already emitting.');
        }

        this.running = true;
        try {
            await this._play(taskId, signal);
        } finally {
            this.running = false;
        }
    }

    async _play(taskId, signal) {
        const started = performance.now();
        const runner = `runner-${randomHex(4)}`;
        const root = `run-${randomHex(6)}`;
        const emit = (event) => this._post(taskId, event, signal);
        const pause = (factor = 1) => sleep(this.stepMs * factor * (0.6 + Math.random() * 0.8), signal);

        await emit({ event_type: 'runner_spawn', actor: runner, span_id: root,
            payload: { runner: 'agent-runner', version: '2.4.1', host: `worker-0${1 + Math.floor(Math.random() * 8)}`, items: PLAN.reduce((n, p) => n + p.items.length, 0) } });
        await emit({ event_type: 'progress_update', actor: runner, span_id: root, payload: { progress: 0, message: 'Runner started' } });

        let progress = 0;
        for (const step of PLAN) {
            await pause();
            const phaseSpan = `${step.phase}-${randomHex(4)}`;
            const phaseStarted = performance.now();
            await emit({ event_type: 'phase_enter', phase: step.phase, actor: runner, span_id: phaseSpan, parent_span_id: root,
                payload: { phase: step.phase, work_items: step.items.length } });

            const perItem = step.share / step.items.length;
            const queue = [...step.items];
            const lanes = Array.from({ length: step.parallel }, async () => {
                while (queue.length > 0) {
                    const item = queue.shift();
                    await this._workItem(item, step, phaseSpan, emit, pause);
                    progress += perItem;
                    await emit({ event_type: 'progress_update', phase: step.phase, actor: runner, span_id: root,
                        payload: { progress: Math.min(99, Math.round(progress)), message: `${item.title}: done` } });
                }
            });
            await Promise.all(lanes);

            await pause(0.6);
            await emit({ event_type: 'phase_exit', phase: step.phase, actor: runner, span_id: phaseSpan, parent_span_id: root,
                payload: { phase: step.phase, duration_ms: Math.round(performance.now() - phaseStarted) } });
        }

        await pause(0.6);
        await emit({ event_type: 'progress_update', actor: runner, span_id: root, payload: { progress: 100, message: 'All checks passed' } });
        await emit({ event_type: 'task_completed', actor: runner, span_id: root,
            payload: { summary: 'Dependencies upgraded; all checks passed.', duration_ms: Math.round(performance.now() - started) } });
    }

    async _workItem(item, step, phaseSpan, emit, pause) {
        const span = `wi-${randomHex(6)}`;
        const common = { phase: step.phase, actor: step.actor, span_id: span, parent_span_id: phaseSpan };
        const started = performance.now();
        await emit({ ...common, event_type: 'work_item_start', payload: { title: item.title, kind: item.kind } });
        for (const value of [25, 50, 75]) {
            await pause();
            await emit({ ...common, event_type: 'work_item_progress', payload: { title: item.title, progress: value } });
        }
        await pause();
        await emit({ ...common, event_type: 'work_item_complete',
            payload: { title: item.title, result: 'succeeded', duration_ms: Math.round(performance.now() - started) } });
    }

    /** POSTs one event; retries network failures and 5xx/429 with the same event_id, so it is stored once. */
    async _post(taskId, event, signal) {
        const body = JSON.stringify({ event_id: crypto.randomUUID(), ...event });
        for (let attempt = 1; ; attempt++) {
            signal?.throwIfAborted();
            let response;
            try {
                response = await fetch(`${this.baseUrl}/api/tasks/${encodeURIComponent(taskId)}/events`, {
                    method: 'POST',
                    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await this.token()}` },
                    body,
                    signal,
                });
            } catch (error) {
                if (signal?.aborted || attempt >= 5) {
                    throw error;
                }
                await sleep(500 * attempt, signal);
                continue;
            }

            if (response.ok) {
                return;
            }

            if ((response.status >= 500 || response.status === 429) && attempt < 5) {
                await sleep(500 * attempt, signal);
                continue;
            }

            const problem = await response.json().catch(() => null);
            throw new Error(`Could not append ${event.event_type}: ${response.status} ${problem?.detail ?? problem?.title ?? response.statusText}`);
        }
    }
}

function sleep(ms, signal) {
    return new Promise((resolve, reject) => {
        if (signal?.aborted) {
            reject(signal.reason);
            return;
        }
        const timer = setTimeout(resolve, ms);
        signal?.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(signal.reason);
        }, { once: true });
    });
}

function randomHex(bytes) {
    return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
}
