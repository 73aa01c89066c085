/**
 * What the demo page shows of a task, built only from its events in seq order: progress (progress_update),
 * the phase timeline (phase_enter/phase_exit), work items by span_id, the event log, and how long each event
 * took from being stored (created_at) to being shown here.
 */

const PHASES = ['planning', 'executing', 'verifying'];
const TERMINAL = { task_completed: 'completed', task_failed: 'failed', task_cancelled: 'cancelled' };
const MAX_LOG_ROWS = 250;

export class TaskView {
    /** @param {Document} doc */
    constructor(doc = document) {
        this.doc = doc;
        const $ = (id) => doc.getElementById(id);
        this.el = {
            taskLabel: $('task-label'),
            status: $('task-status'),
            progressValue: $('progress-value'),
            progressTrack: $('progress-track'),
            progressFill: $('progress-fill'),
            progressMessage: $('progress-message'),
            kpiEvents: $('kpi-events'),
            kpiPhase: $('kpi-phase'),
            kpiItems: $('kpi-items'),
            kpiElapsed: $('kpi-elapsed'),
            phases: $('phases'),
            workItems: $('work-items'),
            workEmpty: $('work-empty'),
            eventList: $('event-list'),
            eventCount: $('event-count'),
            eventEmpty: $('event-empty'),
            latencyLast: $('latency-last'),
            latencyP50: $('latency-p50'),
            latencyP95: $('latency-p95'),
        };
        this._frame = 0;
        this._elapsedTimer = setInterval(() => this._renderElapsed(), 1000);
        this.reset('');
    }

    reset(taskId) {
        this.taskId = taskId;
        this.followStartedAt = Date.now();
        this.count = 0;
        this.lastSeq = 0;
        this.progress = 0;
        this.message = 'Waiting for the first event…';
        this.status = 'waiting';
        this.startedAt = null;
        this.endedAt = null;
        this.currentPhase = null;
        this.phases = new Map(PHASES.map((name) => [name, { name, state: 'pending', enteredAt: null, exitedAt: null }]));
        this.workItems = new Map();
        this.latencies = [];
        this.lastLatency = null;
        this._pendingRows = [];
        this.el.taskLabel.textContent = taskId || '—';
        this.el.eventList.replaceChildren();
        this.el.workItems.replaceChildren();
        this._dirty = true;
        this._schedule();
    }

    /** Applies one event (in seq order) and schedules a repaint. */
    apply(event) {
        const receivedAt = Date.now();
        const createdAt = Date.parse(event.created_at);
        const latency = Number.isFinite(createdAt) ? Math.max(0, receivedAt - createdAt) : null;
        // Events stored before the page started following are history being replayed, not live deliveries.
        const live = latency !== null && createdAt >= this.followStartedAt - 250;
        if (live) {
            this.latencies.push(latency);
            if (this.latencies.length > 2000) {
                this.latencies.shift();
            }
            this.lastLatency = latency;
        }

        this.count++;
        this.lastSeq = event.seq;
        const payload = event.payload ?? {};
        this.startedAt ??= createdAt;

        switch (event.event_type) {
            case 'runner_spawn':
                this.status = 'running';
                this.message = `Runner ${event.actor ?? ''} started on ${payload.host ?? 'a worker'}`.replace('  ', ' ');
                break;
            case 'progress_update':
                if (typeof payload.progress === 'number') {
                    this.progress = Math.max(0, Math.min(100, payload.progress));
                }
                if (payload.message) {
                    this.message = payload.message;
                }
                this.status = this.status === 'waiting' ? 'running' : this.status;
                break;
            case 'phase_enter': {
                const phase = this._phase(event.phase ?? payload.phase);
                phase.state = 'active';
                phase.enteredAt = createdAt;
                this.currentPhase = phase.name;
                this.status = this.status === 'waiting' ? 'running' : this.status;
                break;
            }
            case 'phase_exit': {
                const phase = this._phase(event.phase ?? payload.phase);
                phase.state = 'done';
                phase.exitedAt = createdAt;
                phase.enteredAt ??= createdAt;
                break;
            }
            case 'work_item_start':
                this.workItems.set(event.span_id, {
                    span: event.span_id, title: payload.title ?? event.span_id, phase: event.phase,
                    state: 'running', progress: 0, startedAt: createdAt, endedAt: null,
                });
                break;
            case 'work_item_progress': {
                const item = this._workItem(event);
                if (typeof payload.progress === 'number') {
                    item.progress = payload.progress;
                }
                break;
            }
            case 'work_item_complete': {
                const item = this._workItem(event);
                item.state = payload.result === 'failed' ? 'failed' : 'completed';
                item.progress = 100;
                item.endedAt = createdAt;
                break;
            }
            default:
                if (TERMINAL[event.event_type]) {
                    this.status = TERMINAL[event.event_type];
                    this.endedAt = createdAt;
                    this.message = payload.summary ?? `Task ${this.status}`;
                    if (this.status === 'completed') {
                        this.progress = 100;
                    }
                    for (const phase of this.phases.values()) {
                        if (phase.state === 'active') {
                            phase.state = 'done';
                            phase.exitedAt = createdAt;
                        }
                    }
                }
                break;
        }

        this._pendingRows.push({ event, latency, live });
        this._dirty = true;
        this._schedule();
    }

    get ended() {
        return this.status in { completed: 1, failed: 1, cancelled: 1 };
    }

    _phase(name) {
        const key = name || 'unknown';
        if (!this.phases.has(key)) {
            this.phases.set(key, { name: key, state: 'pending', enteredAt: null, exitedAt: null });
        }
        return this.phases.get(key);
    }

    _workItem(event) {
        if (!this.workItems.has(event.span_id)) {
            this.workItems.set(event.span_id, {
                span: event.span_id, title: event.payload?.title ?? event.span_id, phase: event.phase,
                state: 'running', progress: 0, startedAt: Date.parse(event.created_at), endedAt: null,
            });
        }
        return this.workItems.get(event.span_id);
    }

    // ---------------------------------------------------------------- rendering, at most once a frame

    _schedule() {
        if (this._frame) {
            return;
        }
        const paint = () => {
            this._frame = 0;
            this._render();
        };
        // requestAnimationFrame does not run in a hidden tab; the timeout keeps a background tab current.
        this._frame = requestAnimationFrame(paint);
        setTimeout(() => {
            if (this._frame) {
                cancelAnimationFrame(this._frame);
                paint();
            }
        }, 250);
    }

    _render() {
        if (!this._dirty) {
            return;
        }
        this._dirty = false;
        const el = this.el;

        el.status.dataset.status = this.status;
        el.status.textContent = STATUS_TEXT[this.status];
        el.progressValue.textContent = String(Math.round(this.progress));
        el.progressFill.style.width = `${this.progress}%`;
        el.progressFill.dataset.status = this.status;
        el.progressTrack.setAttribute('aria-valuenow', String(Math.round(this.progress)));
        el.progressMessage.textContent = this.message;
        el.kpiEvents.textContent = this.count.toLocaleString('en-US');
        el.kpiPhase.textContent = this.ended ? 'Done' : this.currentPhase ? capitalize(this.currentPhase) : '—';
        const items = [...this.workItems.values()];
        el.kpiItems.textContent = `${items.filter((i) => i.state !== 'running').length} / ${items.length}`;
        this._renderElapsed();
        this._renderPhases();
        this._renderWorkItems(items);
        this._renderLog();
        this._renderLatency();
    }

    _renderElapsed() {
        if (!this.startedAt) {
            this.el.kpiElapsed.textContent = '—';
            return;
        }
        const end = this.endedAt ?? Date.now();
        this.el.kpiElapsed.textContent = formatDuration(end - this.startedAt);
    }

    _renderPhases() {
        const steps = [...this.phases.values()].map((phase) => {
            const li = h('li', `phase phase-${phase.state}`);
            li.dataset.phase = phase.name;
            const marker = h('span', 'phase-marker');
            marker.setAttribute('aria-hidden', 'true');
            const text = h('div', 'phase-text');
            text.append(h('span', 'phase-name', capitalize(phase.name)), h('span', 'phase-time', phaseTime(phase)));
            li.append(marker, text);
            li.setAttribute('aria-label', `${capitalize(phase.name)}: ${phase.state}`);
            return li;
        });
        const done = h('li', `phase phase-${this.ended ? 'done' : 'pending'} phase-final phase-${this.status}`);
        done.dataset.phase = 'done';
        const marker = h('span', 'phase-marker');
        marker.setAttribute('aria-hidden', 'true');
        const text = h('div', 'phase-text');
        text.append(h('span', 'phase-name', this.ended ? capitalize(this.status) : 'Done'),
            h('span', 'phase-time', this.ended ? `after ${formatDuration(this.endedAt - this.startedAt)}` : 'waiting'));
        done.append(marker, text);
        this.el.phases.replaceChildren(...steps, done);
    }

    _renderWorkItems(items) {
        this.el.workEmpty.hidden = items.length > 0;
        const rows = items.map((item) => {
            const li = h('li', `work-item work-${item.state}`);
            li.dataset.span = item.span;
            li.dataset.state = item.state;
            const icon = h('span', 'work-icon');
            icon.setAttribute('aria-hidden', 'true');
            const main = h('div', 'work-main');
            const title = h('div', 'work-title', item.title);
            const meta = h('div', 'work-meta');
            meta.append(h('code', 'work-span', item.span), h('span', 'work-phase', item.phase ?? ''));
            main.append(title, meta);
            const bar = h('div', 'work-bar');
            const fill = h('div', 'work-bar-fill');
            fill.style.width = `${item.progress}%`;
            bar.append(fill);
            const state = h('span', 'work-state',
                item.state === 'running' ? `${item.progress}%` : `${capitalize(item.state)} · ${formatDuration(item.endedAt - item.startedAt)}`);
            li.append(icon, main, bar, state);
            return li;
        });
        this.el.workItems.replaceChildren(...rows);
    }

    _renderLog() {
        const el = this.el;
        if (this._pendingRows.length > 0) {
            const fragment = this.doc.createDocumentFragment();
            // Newest first: build the batch in reverse and put it on top.
            for (let i = this._pendingRows.length - 1; i >= 0; i--) {
                fragment.append(logRow(this._pendingRows[i]));
            }
            this._pendingRows = [];
            el.eventList.prepend(fragment);
            while (el.eventList.childElementCount > MAX_LOG_ROWS) {
                el.eventList.lastElementChild.remove();
            }
        }
        el.eventCount.textContent = this.count.toLocaleString('en-US');
        el.eventEmpty.hidden = this.count > 0;
    }

    _renderLatency() {
        const el = this.el;
        el.latencyLast.textContent = this.lastLatency === null ? '—' : formatLatency(this.lastLatency);
        if (this.latencies.length === 0) {
            el.latencyP50.textContent = '—';
            el.latencyP95.textContent = '—';
            return;
        }
        const sorted = [...this.latencies].sort((a, b) => a - b);
        el.latencyP50.textContent = formatLatency(percentile(sorted, 0.5));
        el.latencyP95.textContent = formatLatency(percentile(sorted, 0.95));
    }
}

const STATUS_TEXT = {
    waiting: 'Waiting',
    running: 'Running',
    completed: 'Completed',
    failed: 'Failed',
    cancelled: 'Cancelled',
};

function logRow({ event, latency, live }) {
    const li = h('li', `event event-${category(event.event_type)}`);
    li.dataset.seq = String(event.seq);
    li.append(
        h('span', 'event-seq', `#${event.seq}`),
        h('span', 'event-type', event.event_type),
        h('span', 'event-summary', summarize(event)),
        h('span', `event-latency${live ? '' : ' event-history'}`, live ? formatLatency(latency) : 'history'));
    li.title = `${event.created_at} · ${event.actor ?? 'no actor'}${event.span_id ? ` · span ${event.span_id}` : ''}`;
    return li;
}

function category(type) {
    if (type.startsWith('work_item')) return 'work';
    if (type.startsWith('phase')) return 'phase';
    if (type === 'progress_update') return 'progress';
    if (type in TERMINAL) return type === 'task_completed' ? 'done' : 'failed';
    return 'lifecycle';
}

function summarize(event) {
    const p = event.payload ?? {};
    switch (event.event_type) {
        case 'runner_spawn': return `${event.actor ?? 'runner'} on ${p.host ?? '?'}`;
        case 'progress_update': return `${p.progress ?? '?'}%${p.message ? ` · ${p.message}` : ''}`;
        case 'phase_enter': return `→ ${event.phase ?? p.phase}`;
        case 'phase_exit': return `${event.phase ?? p.phase} done${p.duration_ms ? ` in ${formatDuration(p.duration_ms)}` : ''}`;
        case 'work_item_start': return p.title ?? event.span_id ?? '';
        case 'work_item_progress': return `${p.title ?? event.span_id} · ${p.progress}%`;
        case 'work_item_complete': return `${p.title ?? event.span_id} · ${p.result ?? 'done'}`;
        default: return p.summary ?? p.message ?? event.phase ?? '';
    }
}

function phaseTime(phase) {
    if (phase.state === 'done' && phase.enteredAt && phase.exitedAt) {
        return formatDuration(phase.exitedAt - phase.enteredAt);
    }
    if (phase.state === 'active') {
        return 'in progress';
    }
    return 'pending';
}

function percentile(sorted, p) {
    return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function formatLatency(ms) {
    return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function formatDuration(ms) {
    if (!Number.isFinite(ms) || ms < 0) return '—';
    if (ms < 1000) return `${Math.round(ms)} ms`;
    const seconds = ms / 1000;
    if (seconds < 60) return `${seconds.toFixed(1)} s`;
    return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

function capitalize(text) {
    return text ? text[0].toUpperCase() + text.slice(1) : '';
}

function h(tag, className, text) {
    const element = document.createElement(tag);
    element.className = className;
    if (text !== undefined) {
        element.textContent = text;
    }
    return element;
}
