// The operations console in the browser: four views over dlq-replayer's API, refreshed every two
// seconds without reloading the page. Every value from Kafka is untrusted text: it is escaped before
// it reaches the page.
'use strict';

const REFRESH_MS = 2000;
const LAG_HISTORY = 60; // two minutes of samples
const state = {
  token: localStorage.getItem('eventbus-console-token') || '',
  view: 'topics',
  busy: false,
  lagHistory: new Map(), // group -> [total lag, ...]
  selectedLetter: null, // { topic, partition, offset, version: its state when its detail was fetched }
  traceOrderId: '',
};

const $ = (selector) => document.querySelector(selector);

function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function setStatus(text, isError) {
  const status = $('#status');
  status.textContent = text;
  status.classList.toggle('error', Boolean(isError));
}

async function api(method, path, body) {
  if (!state.token) throw new Error('enter the API token (DLQ_REPLAYER_TOKEN; in development mode dlq-replayer prints it at start-up)');
  const response = await fetch(path, {
    method,
    headers: { authorization: `Bearer ${state.token}`, 'x-actor': 'console', ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const reason = data && data.message ? [].concat(data.message).join('; ') : response.statusText;
    throw new Error(`${method} ${path}: ${response.status} ${reason}`);
  }
  return data;
}

// ---- views ---------------------------------------------------------------------------------------

async function renderTopics() {
  const cluster = await api('GET', '/console/api/cluster');
  $('#cluster-summary').textContent = `cluster ${cluster.clusterId} · controller ${cluster.controller} · brokers ${cluster.brokers
    .map((b) => `${b.nodeId}@${b.host}:${b.port}`)
    .join(', ')}`;
  $('#topics-body').innerHTML = cluster.topics
    .map(
      (topic) => `<tr data-topic="${esc(topic.name)}">
        <td><code>${esc(topic.name)}</code></td>
        <td>${esc(topic.owner ?? '—')}</td>
        <td>${esc(topic.kind ?? 'not in registry')}</td>
        <td class="num">${topic.messages.toLocaleString()}</td>
        <td class="num">${topic.ratePerSecond === null ? '…' : topic.ratePerSecond.toFixed(1)}</td>
        <td>${topic.partitions
          .map((p) => `<span class="partition" title="replicas ${esc(p.replicas.join(','))}">p${p.partition} · L${p.leader} · ISR ${esc(p.isr.join(','))} · ${p.start}–${p.end}</span>`)
          .join('')}</td>
      </tr>`,
    )
    .join('');
}

function sparkline(values) {
  const width = 160;
  const height = 28;
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`).join(' ');
  return `<svg class="spark" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" aria-label="lag trend"><polyline fill="none" stroke="#2457c5" stroke-width="1.5" points="${points}"/></svg>`;
}

function trend(values) {
  if (values.length < 2) return '';
  const delta = values[values.length - 1] - values[values.length - 2];
  if (delta > 0) return `<span class="badge warn">▲ ${delta}</span>`;
  if (delta < 0) return `<span class="badge ok">▼ ${-delta}</span>`;
  return '<span class="badge">steady</span>';
}

async function renderGroups() {
  const groups = await api('GET', '/console/api/groups');
  for (const group of groups) {
    const history = state.lagHistory.get(group.group) || [];
    history.push(group.totalLag);
    if (history.length > LAG_HISTORY) history.shift();
    state.lagHistory.set(group.group, history);
  }
  const owner = (group, topic, partition) => {
    const member = group.members.find((m) => (m.assignment[topic] || []).includes(partition));
    return member ? `${member.clientId} (${member.host})` : '—';
  };
  $('#groups-list').innerHTML = groups
    .map((group) => {
      const history = state.lagHistory.get(group.group) || [];
      const rows = group.partitions
        .map(
          (p) => `<tr><td><code>${esc(p.topic)}</code></td><td class="num">${p.partition}</td><td class="num">${p.committed < 0 ? '—' : p.committed}</td>
            <td class="num">${p.end}</td><td class="num lag">${p.lag}</td><td>${esc(owner(group, p.topic, p.partition))}</td></tr>`,
        )
        .join('');
      return `<div class="card" data-group="${esc(group.group)}">
        <h3><code>${esc(group.group)}</code>
          <span class="badge ${group.state === 'Stable' ? 'ok' : ''}">${esc(group.state)}</span>
          ${group.registry ? `<span class="badge">${esc(group.registry.strategy)}</span>` : '<span class="badge">not in registry</span>'}
          <span>${group.members.length} member(s)</span>
          <span>lag <span class="lag" data-testid="group-lag">${group.totalLag}</span></span> ${trend(history)} ${sparkline(history)}
        </h3>
        ${group.registry ? `<p class="muted">${esc(group.registry.purpose)}</p>` : ''}
        ${rows ? `<table><thead><tr><th>topic</th><th class="num">partition</th><th class="num">committed</th><th class="num">end</th><th class="num">lag</th><th>member</th></tr></thead><tbody>${rows}</tbody></table>` : '<p class="muted">no committed offsets yet</p>'}
      </div>`;
    })
    .join('');
}

/** What the list says of a letter's state: its detail is fetched again only when this changes. */
const letterVersion = (letter) => `${letter.status}/${letter.replayCount}`;

async function renderDeadLetters() {
  const topics = await api('GET', '/dlq');
  let selectedVersion = 'not listed';
  const sections = await Promise.all(
    topics.map(async (topic) => {
      // Summaries: the list shows neither values nor headers, and it is fetched every refresh.
      const page = await api('GET', `/dlq/${encodeURIComponent(topic.topic)}/messages?status=active&limit=200&fields=summary`);
      const byReason = new Map();
      for (const letter of page.items) {
        const reason = letter.exception || 'unknown';
        if (!byReason.has(reason)) byReason.set(reason, []);
        byReason.get(reason).push(letter);
      }
      const reasons = [...byReason]
        .map(
          ([reason, letters]) => `<div class="reason">${esc(reason)} <span class="badge bad">${letters.length}</span></div>
          <table><tbody>${letters
            .map((l) => {
              const selected = state.selectedLetter && state.selectedLetter.topic === l.dlqTopic && state.selectedLetter.partition === l.partition && state.selectedLetter.offset === l.offset;
              if (selected) selectedVersion = letterVersion(l);
              return `<tr class="letter${selected ? ' selected' : ''}" data-topic="${esc(l.dlqTopic)}" data-partition="${l.partition}" data-offset="${l.offset}" data-key="${esc(l.key)}" data-version="${esc(letterVersion(l))}">
                <td class="mono">${l.partition}/${l.offset}</td><td class="mono">${esc(l.key ?? '—')}</td>
                <td><span class="badge ${l.status === 'open' ? 'bad' : 'warn'}">${esc(l.status)}</span></td>
                <td class="muted">${esc(new Date(l.timestamp).toLocaleTimeString([], { hour12: false }))}</td></tr>`;
            })
            .join('')}</tbody></table>`,
        )
        .join('');
      const counts = topic.byStatus;
      return `<div class="card" data-dlq="${esc(topic.topic)}"><h3><code>${esc(topic.topic)}</code>
          <span class="badge bad">open ${counts.open}</span><span class="badge warn">replayed ${counts.replayed}</span><span class="badge">resolved ${counts.resolved}</span></h3>
        ${reasons || '<p class="muted">nothing waiting</p>'}</div>`;
    }),
  );
  $('#dlq-list').innerHTML = sections.join('');
  // The detail holds the whole value (up to 2 MiB): fetched again only when the letter changed.
  if (state.selectedLetter && state.selectedLetter.version !== selectedVersion) {
    state.selectedLetter.version = selectedVersion;
    await renderLetterDetail(false);
  }
}

async function renderLetterDetail(scroll) {
  const { topic, partition, offset } = state.selectedLetter;
  const letter = await api('GET', `/dlq/${encodeURIComponent(topic)}/messages/${partition}/${offset}`);
  const detail = $('#dlq-detail');
  const keepNotice = detail.querySelector('.notice');
  detail.innerHTML = `<h3><code>${esc(letter.dlqTopic)}</code> ${letter.partition}/${letter.offset}</h3>
    <p><span class="badge ${letter.status === 'open' ? 'bad' : 'warn'}" data-testid="letter-status">${esc(letter.status)}</span>
       replayed ${letter.replayCount}× · key <code>${esc(letter.key ?? '—')}</code> · from <code>${esc(letter.originalTopic ?? '?')}</code></p>
    <p><strong>${esc(letter.exception)}</strong>: ${esc(letter.exceptionMessage)}</p>
    <div><button class="primary" data-action="replay" data-testid="replay-button">Replay</button>
         <button class="danger" data-action="resolve" data-testid="resolve-button">Resolve…</button>
         ${letter.key ? `<button data-action="trace" data-key="${esc(letter.key)}">Trace order</button>` : ''}</div>
    <h4>Payload ${letter.valueIsJson ? '' : '(not JSON: shown as received)'}</h4>
    <pre data-testid="letter-payload">${esc(letter.valueIsJson ? JSON.stringify(letter.value, null, 2) : letter.value)}</pre>
    <h4>Headers</h4>
    <table><tbody>${Object.entries(letter.headers)
      .map(([name, value]) => `<tr><td class="mono">${esc(name)}</td><td class="mono">${esc(name.endsWith('stacktrace') ? String(value).split('\n')[0] + ' …' : value)}</td></tr>`)
      .join('')}</tbody></table>`;
  if (keepNotice) detail.insertBefore(keepNotice, detail.children[2]);
  if (scroll) detail.scrollIntoView({ block: 'nearest' });
}

function notice(text, isError) {
  const detail = $('#dlq-detail');
  detail.querySelector('.notice')?.remove();
  const element = document.createElement('p');
  element.className = `notice${isError ? ' error' : ''}`;
  element.dataset.testid = 'action-result';
  element.textContent = text;
  detail.insertBefore(element, detail.children[2] || null);
}

async function replaySelected() {
  const { topic, partition, offset } = state.selectedLetter;
  try {
    const report = await api('POST', `/dlq/${encodeURIComponent(topic)}/replay`, { select: { messages: [[partition, offset]] }, dryRun: false });
    const reasons = (report.failures || []).map((failure) => failure.reason).join('; ');
    notice(
      `replayed ${report.replayed}, skipped ${report.skipped}, failed ${report.failed}${report.skipped ? ' (already replayed: use the API with force to replay again)' : ''}${reasons ? `: ${reasons}` : ''}`,
      report.failed > 0,
    );
  } catch (error) {
    notice(error.message, true);
  }
  // Show the letter's new state now, even if a periodic refresh is already under way.
  await renderLetterDetail(false).catch((error) => setStatus(error.message, true));
  await refresh();
}

async function resolveSelected() {
  const note = prompt('Why is this dead letter resolved without a replay? (kept in the audit log)');
  if (note === null) return;
  const { topic, partition, offset } = state.selectedLetter;
  try {
    const report = await api('POST', `/dlq/${encodeURIComponent(topic)}/resolve`, { select: { messages: [[partition, offset]] }, note });
    notice(`resolved ${report.resolved ?? JSON.stringify(report)}`);
  } catch (error) {
    notice(error.message, true);
  }
  await renderLetterDetail(false).catch((error) => setStatus(error.message, true));
  await refresh();
}

function outcomeBadge(consumer) {
  const css = consumer.outcome === 'processed' ? 'ok' : consumer.outcome === 'pending' ? 'warn' : 'bad';
  const extra = consumer.deadLetter ? ` → ${consumer.deadLetter.dlqTopic} ${consumer.deadLetter.partition}/${consumer.deadLetter.offset} (${consumer.deadLetter.status})` : '';
  return `<span class="badge ${css}" data-outcome="${esc(consumer.outcome)}" data-consumer="${esc(consumer.group)}" title="${esc(consumer.strategy)}">${esc(consumer.group)}: ${esc(consumer.outcome)}${esc(extra)}</span>`;
}

async function renderTrace() {
  const result = $('#trace-result');
  if (!state.traceOrderId) {
    result.innerHTML = '<p class="muted">Enter an order id: every event about it across topics, in time order, with what each consumer group did with it.</p>';
    return;
  }
  const trace = await api('GET', `/console/api/orders/${encodeURIComponent(state.traceOrderId)}/trace`);
  if (trace.entries.length === 0) {
    result.innerHTML = `<p class="notice">No event about order <code>${esc(trace.orderId)}</code> yet (the flow index follows the topics within a second or so).</p>`;
    return;
  }
  const rows = trace.entries
    .map((entry) => {
      const time = `${new Date(entry.at).toLocaleTimeString([], { hour12: false })}.${String(new Date(entry.at).getMilliseconds()).padStart(3, '0')}`;
      if (entry.kind === 'dead-letter') {
        return `<tr data-kind="dead-letter"><td>${esc(time)}</td><td><span class="badge bad">dead letter</span></td>
          <td><code>${esc(entry.dlqTopic)}</code> ${entry.partition}/${entry.offset}</td>
          <td>from <code>${esc(entry.original.topic)}</code> ${entry.original.partition}/${entry.original.offset} by ${esc(entry.group)}</td>
          <td><strong>${esc(entry.exception)}</strong>: ${esc(entry.exceptionMessage)}</td>
          <td><span class="badge ${entry.status === 'open' ? 'bad' : 'warn'}">${esc(entry.status)}</span></td></tr>`;
      }
      return `<tr data-kind="event" data-event-type="${esc(entry.eventType)}"><td>${esc(time)}</td>
        <td>${esc(entry.eventType ?? '(not an event)')}${entry.version ? ` v${entry.version}` : ''}${entry.replayedFrom ? ' <span class="badge warn">replay</span>' : ''}</td>
        <td><code>${esc(entry.topic)}</code> ${entry.partition}/${entry.offset}</td>
        <td>by ${esc(entry.producer ?? '?')}${entry.replayedFrom ? ` · replayed from <code>${esc(entry.replayedFrom)}</code>` : ''}</td>
        <td>${entry.consumers.map(outcomeBadge).join(' ')}</td>
        <td class="mono" title="trace id">${esc(entry.traceId ?? '')}</td></tr>`;
    })
    .join('');
  result.innerHTML = `<p class="summary">order <code>${esc(trace.orderId)}</code> · ${trace.entries.length} entries · trace ${trace.traceIds.map((id) => `<code>${esc(id)}</code>`).join(', ') || '—'}</p>
    <table class="timeline"><thead><tr><th>time</th><th>what</th><th>where (partition/offset)</th><th>producer</th><th>consumer groups</th><th>trace id</th></tr></thead><tbody>${rows}</tbody></table>`;
}

// ---- navigation and refresh ----------------------------------------------------------------------

const RENDERERS = { topics: renderTopics, groups: renderGroups, dlq: renderDeadLetters, trace: renderTrace };

async function refresh() {
  if (state.busy) return;
  state.busy = true;
  try {
    await RENDERERS[state.view]();
    setStatus(`live · updated ${new Date().toLocaleTimeString([], { hour12: false })}`);
  } catch (error) {
    setStatus(error.message, true);
  } finally {
    state.busy = false;
  }
}

function showView() {
  const [view, ...rest] = location.hash.replace(/^#/, '').split('/');
  state.view = RENDERERS[view] ? view : 'topics';
  if (state.view === 'trace' && rest.length) {
    state.traceOrderId = decodeURIComponent(rest.join('/'));
    $('#order-id').value = state.traceOrderId;
  }
  for (const section of document.querySelectorAll('main > section')) section.hidden = section.id !== `view-${state.view}`;
  for (const link of document.querySelectorAll('nav a')) link.classList.toggle('active', link.dataset.view === state.view);
  refresh();
}

$('#token').value = state.token;
$('#token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  state.token = $('#token').value.trim();
  localStorage.setItem('eventbus-console-token', state.token);
  refresh();
});
$('#trace-form').addEventListener('submit', (event) => {
  event.preventDefault();
  location.hash = `#trace/${encodeURIComponent($('#order-id').value.trim())}`;
});
$('#dlq-list').addEventListener('click', (event) => {
  const row = event.target.closest('tr.letter');
  if (!row) return;
  state.selectedLetter = { topic: row.dataset.topic, partition: Number(row.dataset.partition), offset: Number(row.dataset.offset), version: row.dataset.version };
  for (const other of document.querySelectorAll('tr.letter.selected')) other.classList.remove('selected');
  row.classList.add('selected');
  renderLetterDetail(true).catch((error) => setStatus(error.message, true));
});
$('#dlq-detail').addEventListener('click', (event) => {
  const button = event.target.closest('button[data-action]');
  if (!button) return;
  if (button.dataset.action === 'replay') replaySelected();
  if (button.dataset.action === 'resolve') resolveSelected();
  if (button.dataset.action === 'trace') location.hash = `#trace/${encodeURIComponent(button.dataset.key)}`;
});
window.addEventListener('hashchange', showView);
setInterval(refresh, REFRESH_MS);
showView();
