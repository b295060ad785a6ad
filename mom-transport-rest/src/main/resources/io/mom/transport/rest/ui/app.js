// The MOM dashboard: sign in, then every 2 s read GET /v1/stats (admin) and the subscriptions of the
// topics, and redraw nodes, destinations with depths, rates and charts, subscriptions and dead-letter queues.

import { Api, ApiError } from './api.js';
import { RateHistory, lineChart, formatRate } from './charts.js';

const REFRESH_MS = 2000;
const HISTORY = 60; // samples: 2 minutes at one sample every 2 s
const MEASURES = ['published', 'delivered', 'acked'];
const MAX_ROWS = 500;
const MAX_TOPICS = 50;

const api = new Api();
const history = new RateHistory(HISTORY);
let timer = null;
let generation = 0;

const $ = (id) => document.getElementById(id);

function show(signedIn) {
  $('login').hidden = signedIn;
  $('dashboard').hidden = !signedIn;
  $('logout').hidden = !signedIn;
  $('who').hidden = !signedIn;
  $('who').textContent = signedIn ? api.username || '' : '';
}

/** The cell of class `name` in `row` (created on first use, right-aligned when `numeric`), showing `text`. */
function cell(row, name, text, numeric) {
  let td = row.querySelector(':scope > td.' + name);
  if (!td) {
    td = document.createElement('td');
    td.className = numeric ? name + ' num' : name;
    row.appendChild(td);
  }
  if (td.textContent !== String(text)) {
    td.textContent = text;
  }
  return td;
}

/** Keeps one row per key in `tbody`, in the order of `items`; removes the others. */
function rows(tbody, items, key, attribute, fill) {
  const existing = new Map([...tbody.children].map((tr) => [tr.getAttribute(attribute), tr]));
  let previous = null;
  for (const item of items) {
    const k = key(item);
    let tr = existing.get(k);
    if (!tr) {
      tr = document.createElement('tr');
      tr.setAttribute(attribute, k);
    }
    existing.delete(k);
    fill(tr, item);
    const expected = previous ? previous.nextSibling : tbody.firstChild;
    if (expected !== tr) {
      tbody.insertBefore(tr, expected);
    }
    previous = tr;
  }
  existing.forEach((tr) => tr.remove());
}

function number(n) {
  return Number(n || 0).toLocaleString('en');
}

function renderNodes(nodes) {
  rows($('nodes').tBodies[0], nodes, (n) => n.id, 'data-node', (tr, n) => {
    cell(tr, 'name', n.id);
    cell(tr, 'alive', n.alive ? 'yes' : 'no').classList.toggle('dead', !n.alive);
    cell(tr, 'role', n.role || 'member');
    cell(tr, 'load', Number(n.load || 0).toFixed(2), true);
    cell(tr, 'address', n.restAddress || '');
  });
}

function renderDestinations(stats, now) {
  const all = stats.destinations.filter((d) => !d.deadLetter);
  const shown = all.slice(0, MAX_ROWS);
  rows($('destinations').tBodies[0], shown, (d) => d.name, 'data-destination', (tr, d) => {
    const rates = history.add('d:' + d.name, now, d.counts || {}, MEASURES, d.rates);
    cell(tr, 'name', d.name);
    cell(tr, 'type', d.type);
    cell(tr, 'depth', number(d.depth), true);
    cell(tr, 'inflight', number(d.inFlight), true);
    cell(tr, 'consumers', number(d.consumers), true);
    cell(tr, 'subscriptions', number(d.subscriptions), true);
    MEASURES.forEach((m) => cell(tr, 'rate-' + m, formatRate(rates[m]), true));
    const chart = cell(tr, 'chart', '');
    lineChart(chart, history.series('d:' + d.name), HISTORY, 120, 24);
  });
  const note = $('destinations-note');
  note.hidden = all.length <= MAX_ROWS;
  note.textContent = `Showing ${MAX_ROWS} of ${all.length} destinations.`;
}

function renderDeadLetters(stats) {
  const byName = new Map(stats.destinations.map((d) => [d.name, d]));
  const dlqs = stats.destinations.filter((d) => d.deadLetter);
  rows($('dlqs').tBodies[0], dlqs, (d) => d.name, 'data-destination', (tr, d) => {
    const sourceName = d.name.slice(0, -'.dlq'.length);
    const source = byName.get(sourceName);
    cell(tr, 'name', d.name);
    cell(tr, 'source', source ? sourceName : sourceName + ' (deleted)');
    cell(tr, 'depth', number(d.depth), true);
    cell(tr, 'inflight', number(d.inFlight), true);
    cell(tr, 'consumers', number(d.consumers), true);
    cell(tr, 'deadlettered', number(source && source.counts ? source.counts.deadLettered : 0), true);
    tr.classList.toggle('warn', d.depth > 0);
  });
  $('dlqs-empty').hidden = dlqs.length > 0;
}

async function loadSubscriptions(stats) {
  const topics = stats.destinations.filter((d) => d.type === 'topic').slice(0, MAX_TOPICS);
  const lists = await Promise.all(topics.map((t) =>
    api.get('/v1/topics/' + encodeURIComponent(t.name) + '/subscriptions')
      .then((r) => r.items.map((s) => ({ topic: t.name, ...s })))
      .catch((e) => {
        if (e instanceof ApiError && e.status === 401) {
          throw e;
        }
        return []; // the topic was deleted meanwhile
      })));
  const subscriptions = lists.flat();
  rows($('subscriptions').tBodies[0], subscriptions, (s) => s.topic + '/' + s.name, 'data-subscription', (tr, s) => {
    cell(tr, 'topic', s.topic);
    cell(tr, 'name', s.name);
    cell(tr, 'owner', s.owner);
    cell(tr, 'pending', number(s.pending), true);
    cell(tr, 'inflight', number(s.inFlight), true);
    cell(tr, 'consumers', number(s.consumers), true);
  });
  const note = $('subscriptions-note');
  const topicCount = stats.destinations.filter((d) => d.type === 'topic').length;
  note.hidden = topicCount <= MAX_TOPICS;
  note.textContent = `Subscriptions of the first ${MAX_TOPICS} of ${topicCount} topics.`;
}

function renderTotals(stats, now) {
  const t = stats.totals;
  $('total-queues').textContent = number(t.queues);
  $('total-topics').textContent = number(t.topics);
  $('total-depth').textContent = number(t.depth);
  $('total-inflight').textContent = number(t.inFlight);
  $('total-consumers').textContent = number(t.consumers);
  const rates = history.add('node', now, stats.node.counts || {}, MEASURES, stats.node.rates);
  $('rate-published').textContent = formatRate(rates.published);
  $('rate-acked').textContent = formatRate(rates.acked);
  const top = lineChart($('node-chart'), history.series('node'), HISTORY, 600, 120);
  $('node-chart-max').textContent = 'scale 0 to ' + formatRate(top) + ' messages/s, last 2 minutes';
  $('node-id').textContent = 'node ' + stats.node.id;
}

async function refresh(run) {
  try {
    const stats = await api.get('/v1/stats');
    if (run !== generation) {
      return;
    }
    const now = Date.now();
    stats.destinations.sort((a, b) => a.name.localeCompare(b.name));
    renderTotals(stats, now);
    renderNodes(stats.nodes || [{ id: stats.node.id, alive: true, role: 'controller', load: 0 }]);
    renderDestinations(stats, now);
    renderDeadLetters(stats);
    history.retain(new Set(['node', ...stats.destinations.map((d) => 'd:' + d.name)]));
    await loadSubscriptions(stats);
    $('status').textContent = 'Updated ' + new Date(now).toLocaleTimeString('en-GB') + ' · every 2 s';
    $('status').classList.remove('stale');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      stop();
      show(false);
      $('login-error').textContent = e.message;
      $('login-error').hidden = false;
      return;
    }
    const detail = e instanceof ApiError && e.status === 403 ? 'statistics need an administrator account' : e.message;
    $('status').textContent = 'Not updated: ' + detail;
    $('status').classList.add('stale');
  }
  if (run === generation) {
    timer = setTimeout(() => refresh(run), REFRESH_MS);
  }
}

function start() {
  stop();
  show(true);
  generation += 1;
  refresh(generation);
}

function stop() {
  generation += 1;
  if (timer) {
    clearTimeout(timer);
    timer = null;
  }
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = $('login-error');
  error.hidden = true;
  const password = $('password');
  try {
    await api.login($('username').value, password.value);
    password.value = '';
    start();
  } catch (e) {
    error.textContent = e instanceof ApiError && e.status === 401 ? 'Wrong user name or password.' : e.message;
    error.hidden = false;
  }
});

$('logout').addEventListener('click', async () => {
  stop();
  try {
    await api.logout();
  } catch (e) {
    // signed out locally anyway
  }
  show(false);
});

if (api.signedIn) {
  start();
} else {
  show(false);
}
