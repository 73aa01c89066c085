/**
 * The live demo page: a dev token, a task (from ?task=, typed in, or created), the task's events followed with
 * EventStreamService and shown by TaskView, a producer that emits a realistic run into the task, and a
 * simulated network outage to watch the stream reconnect and resume.
 */
import { EventStreamService } from '../services/EventStreamService.js';
import { ConnectionStatus } from '../components/ConnectionStatus.js';
import { DevTokenSource } from './DevTokenSource.js';
import { SimulatedNetwork } from './SimulatedNetwork.js';
import { TaskSimulator } from './TaskSimulator.js';
import { TaskView } from './TaskView.js';

const OFFLINE_MS = 5000;
const RECENT_KEY = 'taskevents:demo:recent_tasks';

const $ = (id) => document.getElementById(id);
const ui = {
    form: $('task-form'),
    taskInput: $('task-id'),
    recent: $('recent-tasks'),
    newTask: $('new-task'),
    emit: $('emit'),
    emitLabel: $('emit-label'),
    offline: $('simulate-offline'),
    offlineLabel: $('offline-label'),
    notice: $('notice'),
    token: $('token-info'),
};

const tokens = new DevTokenSource();
const network = new SimulatedNetwork();
// ?step_ms= sets the producer's pace (average pause between events): slower to present, faster to test.
const stepMs = Number(new URLSearchParams(location.search).get('step_ms')) || 300;
const simulator = new TaskSimulator({ token: () => tokens.get(), stepMs });
const status = new ConnectionStatus({ container: $('connection-status'), showStats: true, showReconnectTimer: true });
const view = new TaskView(document);
let stream = null;

function showNotice(message, kind = 'error') {
    ui.notice.textContent = message;
    ui.notice.dataset.kind = kind;
    ui.notice.hidden = !message;
}

async function api(path, init = {}) {
    const response = await fetch(path, {
        ...init,
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await tokens.get()}`, ...init.headers },
    });
    const body = await response.json().catch(() => null);
    if (!response.ok) {
        throw new Error(body?.detail ?? body?.title ?? `${response.status} ${response.statusText}`);
    }
    return body;
}

async function createTask() {
    const task = await api('/api/tasks', { method: 'POST', body: '{}' });
    return task.task_id;
}

function follow(taskId) {
    stream?.stop();
    showNotice('');
    view.reset(taskId);
    ui.taskInput.value = taskId;
    rememberTask(taskId);
    const url = new URL(location.href);
    url.searchParams.set('task', taskId);
    history.replaceState(null, '', url);

    const current = new EventStreamService(taskId, {
        since_seq: 0,
        // One event per write: the page is about watching events arrive, not about saving bytes.
        batch_size: 1,
        token: (options) => tokens.get(options),
        fetch: network.fetch,
        reconnectDelay: 1000,
        maxReconnectDelay: 8000,
        maxReconnectAttempts: 10,
        onEvent: (event) => view.apply(event),
        onStateChange: (state, prev, meta) => {
            status.setState(state, meta);
            status.updateStats(current.getStats());
            if (state === 'error') {
                const hint = meta.status === 404 ? ' Create one with “New task”.' : '';
                showNotice(`The stream stopped: ${meta.error?.message ?? meta.reason}${hint}`);
            }
            updateControls();
        },
        onError: () => status.updateStats(current.getStats()),
        onEnd: () => updateControls(),
    });
    stream = current;
    // Stats change on events too; one refresh a frame is plenty.
    const refresh = () => {
        if (stream === current) {
            status.updateStats(current.getStats());
            requestAnimationFrame(refresh);
        }
    };
    requestAnimationFrame(refresh);
    current.start();
    updateControls();
}

function updateControls() {
    const state = stream?.getState();
    const ended = view.ended || state === 'disconnected';
    const usable = stream && !ended && state !== 'error';
    ui.emit.disabled = !usable || simulator.running;
    ui.emitLabel.textContent = simulator.running ? 'Emitting events…' : ended ? 'Task has ended' : 'Start emitting events';
    ui.emit.dataset.busy = String(simulator.running);
    ui.offline.disabled = !usable || network.offline;
}

function rememberTask(taskId) {
    let recent = [];
    try {
        recent = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]');
    } catch {
        recent = [];
    }
    recent = [taskId, ...recent.filter((id) => id !== taskId)].slice(0, 8);
    localStorage.setItem(RECENT_KEY, JSON.stringify(recent));
    ui.recent.replaceChildren(...recent.map((id) => Object.assign(document.createElement('option'), { value: id })));
}

function showToken() {
    const claims = tokens.claims;
    if (!claims) {
        ui.token.textContent = 'No token';
        return;
    }
    const minutes = Math.max(0, Math.round((claims.exp * 1000 - Date.now()) / 60000));
    ui.token.textContent = `Dev token · tenant ${claims.tenant} · ${minutes} min left`;
    ui.token.title = `Scopes: ${claims.scope}`;
}

ui.form.addEventListener('submit', (e) => {
    e.preventDefault();
    const taskId = ui.taskInput.value.trim();
    if (taskId) {
        follow(taskId);
    }
});

ui.newTask.addEventListener('click', async () => {
    ui.newTask.disabled = true;
    try {
        follow(await createTask());
    } catch (error) {
        showNotice(`Could not create a task: ${error.message}`);
    } finally {
        ui.newTask.disabled = false;
    }
});

ui.emit.addEventListener('click', async () => {
    const taskId = stream?.taskId;
    if (!taskId || simulator.running) {
        return;
    }
    const run = simulator.run(taskId);
    updateControls();
    try {
        await run;
    } catch (error) {
        showNotice(`Emitting stopped: ${error.message}`);
    } finally {
        updateControls();
    }
});

ui.offline.addEventListener('click', () => {
    network.goOffline(OFFLINE_MS);
    updateControls();
    const tick = () => {
        if (network.offline) {
            ui.offlineLabel.textContent = `Offline · ${Math.ceil(network.remainingMs / 1000)} s`;
            setTimeout(tick, (network.remainingMs % 1000) || 1000);
        } else {
            ui.offlineLabel.textContent = 'Simulate offline (5 s)';
            updateControls();
        }
    };
    tick();
});

async function init() {
    try {
        await tokens.get();
        showToken();
        setInterval(showToken, 30_000);
        const requested = new URLSearchParams(location.search).get('task');
        follow(requested || await createTask());
    } catch (error) {
        ui.token.textContent = 'No token';
        showNotice(error.message);
        updateControls();
    }
}

init();
