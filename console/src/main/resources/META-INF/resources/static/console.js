// wacast console: small progressive enhancements over server-rendered pages. Every page works
// without this file except the live updates, the chart, the template preview and the upload bar.
(function () {
  'use strict';
  const nf = new Intl.NumberFormat('en-US');
  const csrf = () => (document.querySelector('meta[name="csrf-token"]') || {}).content || '';

  // The operator's time zone, so the server formats times in it.
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && !document.cookie.split('; ').includes('wacast_tz=' + encodeURIComponent(zone))) {
      document.cookie = 'wacast_tz=' + encodeURIComponent(zone) + '; path=/; max-age=31536000; SameSite=Strict';
    }
  } catch (e) { /* keep UTC */ }

  // htmx requests carry the CSRF token in its header.
  document.addEventListener('htmx:configRequest', (e) => { e.detail.headers['X-CSRF-TOKEN'] = csrf(); });

  // Forms that change something important ask first.
  document.addEventListener('submit', (e) => {
    const form = e.target.closest('form[data-confirm]');
    if (form && !window.confirm(form.dataset.confirm)) { e.preventDefault(); }
  });

  // Copy buttons (one-time API key secrets).
  document.addEventListener('click', (e) => {
    const button = e.target.closest('[data-copy]');
    if (!button) { return; }
    const source = document.getElementById(button.dataset.copy);
    if (source && navigator.clipboard) {
      navigator.clipboard.writeText(source.textContent.trim()).then(() => { button.textContent = 'Copied'; });
    }
  });

  document.addEventListener('DOMContentLoaded', () => {
    liveCampaign();
    wizardTemplate();
    wizardUpload();
    scheduleMode();
  });

  // ---- series form: the weekly fields or the cron rule, as chosen ----------------------------------
  function scheduleMode() {
    const box = document.getElementById('schedule');
    if (!box) { return; }
    const show = () => {
      const mode = (box.querySelector('input[name="mode"]:checked') || {}).value || 'weekly';
      box.querySelectorAll('[data-mode]').forEach((part) => { part.hidden = part.dataset.mode !== mode; });
    };
    box.addEventListener('change', (e) => { if (e.target.name === 'mode') { show(); } });
    show();
  }

  // ---- campaign analytics: live over server-sent events ------------------------------------------
  const TERMINAL = ['completed', 'cancelled'];

  function liveCampaign() {
    const live = document.getElementById('live');
    const data = document.getElementById('stats-data');
    if (!live || !data) { return; }
    let stats = JSON.parse(data.textContent);
    const chart = timelineChart(stats);
    let status = live.dataset.status;
    if (TERMINAL.includes(status)) { return; }
    const source = new EventSource('/campaigns/' + live.dataset.campaign + '/events');
    source.onmessage = (message) => {
      stats = JSON.parse(message.data);
      render(stats, chart);
      const now = stats.campaign.status;
      if (now !== status) {
        status = now;
        refreshHead();
      }
    };
    // After a final status the campaign-service still pushes late webhooks' counts for a few seconds,
    // then ends the stream; only then stop, instead of letting the browser reconnect.
    source.onerror = () => { if (TERMINAL.includes(status)) { source.close(); } };
  }

  function refreshHead() {
    if (window.htmx) {
      htmx.ajax('GET', window.location.pathname, { target: '.page-head', select: '.page-head', swap: 'outerHTML' });
    }
  }

  function setText(key, text) {
    document.querySelectorAll('[data-live="' + key + '"]').forEach((el) => {
      if (el.textContent !== text) {
        el.textContent = text;
        const tile = el.closest('.tile');
        if (tile) { tile.classList.remove('flash-change'); void tile.offsetWidth; tile.classList.add('flash-change'); }
      }
    });
  }

  const pct = (v) => v.toFixed(2) + '%';
  // the server's own format ("5 Dec 2026, 18:46:16"), in the browser's zone, which is the operator's
  const when = (iso) => new Date(iso).toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric',
    hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const share = (part, whole) => whole > 0 ? Math.min(100, 100 * part / whole) : 0;

  function render(stats, chart) {
    const s = stats.stats, p = stats.progress, r = stats.metrics.values;
    ['total', 'queued', 'sent', 'delivered', 'read', 'responded', 'failed', 'optedOut', 'unknown']
      .forEach((k) => setText(k, nf.format(s[k])));
    setText('done', nf.format(p.done));
    const done = share(p.done, s.total);
    setText('pct', done.toFixed(1) + '%');
    const bar = document.querySelector('[data-live="bar"]');
    if (bar) { bar.setAttribute('aria-valuenow', done.toFixed(1)); bar.firstElementChild.style.width = done + '%'; }
    setText('eta', p.etaSeconds != null ? 'about ' + duration(p.etaSeconds) + ' left' : '');
    setText('deliveryRate', pct(r.deliveryRate));
    setText('readRate', pct(r.readRate));
    setText('responseRate', pct(r.responseRate));
    setText('failureRate', pct(r.failureRate));
    ['replies', 'orders', 'converted'].forEach((k) => { if (s[k] != null) { setText(k, nf.format(s[k])); } });
    if (r.conversionRate != null) { setText('conversionRate', pct(r.conversionRate)); }
    if (stats.revenue) {
      const amounts = Object.keys(stats.revenue).map((c) => money(stats.revenue[c], c));
      setText('revenue', amounts.length ? amounts.join(' · ') : '—');
    }
    if (stats.replies) {
      rows('replyKinds', Object.entries(stats.replies), 2, 'No replies yet.', ([kind, n]) => [label(kind), nf.format(n)], [1]);
    }
    if (stats.buttons) { buttonRows(stats.buttons); }
    if (stats.charges) {
      setText('charged', nf.format(stats.charges.messages));
      const byCategory = Object.entries(stats.charges.byCategory || {}).map(([c, n]) => label(c) + ' ' + nf.format(n));
      setText('chargedByCategory', byCategory.length ? byCategory.join(' · ') : "as Meta's status webhooks price them");
      const cost = (stats.charges.cost || []).map((c) => decimal(c.amount, c.currency));
      setText('chargedCost', cost.length ? cost.join(' · ') : '—');
    }
    if (stats.pacing) {
      setText('heldForQualityAssessment', nf.format(stats.pacing.heldForQualityAssessment));
      setText('pacingPaused', nf.format(stats.pacing.paused));
    }
    const badge = document.querySelector('[data-live="status"]');
    if (badge) {
      badge.className = 'badge status-' + stats.campaign.status;
      badge.textContent = stats.campaign.status.charAt(0).toUpperCase() + stats.campaign.status.slice(1);
    }
    const at = document.querySelector('[data-live="generatedAt"]');
    if (at) { at.setAttribute('datetime', stats.generatedAt); at.textContent = when(stats.generatedAt); }
    ['sent', 'delivered', 'read', 'responded'].forEach((k) => {
      const el = document.querySelector('[data-funnel-bar="' + k + '"]');
      if (el) { el.style.width = share(s[k], s.total) + '%'; }
      const n = document.querySelector('[data-funnel="' + k + '"]');
      if (n) { n.textContent = nf.format(s[k]); }
    });
    const total = document.querySelector('[data-funnel="total"]');
    if (total) { total.textContent = nf.format(s.total); }
    rows('errors', stats.errorBreakdown, 3, 'No errors.', (e) => [String(e.code), e.meaning || '', nf.format(e.count)], [2]);
    rows('samples', stats.sampleFailures, 4, 'No failures.',
      (f) => [f.phoneNumber, f.code == null ? '—' : String(f.code), f.message || '', new Date(f.at).toLocaleTimeString('en-GB')], []);
    document.querySelectorAll('[data-live="samples"] tbody tr').forEach((tr) => {
      const cell = tr.cells[2];
      if (cell && tr.cells.length === 4) {
        const span = document.createElement('span'); span.className = 'clamp'; span.title = cell.textContent;
        span.textContent = cell.textContent; cell.replaceChildren(span);
      }
    });
    if (chart) { fillChart(chart, stats.timeline); }
  }

  // Money in minor units as the server shows it: "INR 1,234.50" (the currency's own decimals).
  function money(minor, currency) {
    let digits = 2;
    try { digits = new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits; } catch (e) { /* 2 */ }
    const amount = Number(minor) / Math.pow(10, digits);
    return currency + ' ' + new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount);
  }

  // A rate card's amount as the server shows it: "USD 0.0800" → "USD 0.08", at least two decimals.
  function decimal(amount, currency) {
    let shown = String(amount);
    if (shown.indexOf('.') >= 0) { shown = shown.replace(/0+$/, '').replace(/\.$/, ''); }
    const dot = shown.indexOf('.');
    const decimals = dot < 0 ? 0 : shown.length - dot - 1;
    if (decimals < 2) { shown = (dot < 0 ? shown + '.' : shown) + '0'.repeat(2 - decimals); }
    return (currency ? currency + ' ' : '') + shown;
  }

  // "opted_out" → "Opted out", as the server's label.
  const label = (wire) => { const t = String(wire).replace(/_/g, ' '); return t.charAt(0).toUpperCase() + t.slice(1); };

  // The buttons table: a row per payload and, where the operator may, the page's own "Retarget" form
  // (a <template> rendered with the CSRF token) with the payload filled in.
  function buttonRows(buttons) {
    const table = document.querySelector('[data-live="buttons"]');
    if (!table) { return; }
    const retarget = document.getElementById('retarget-form');
    const columns = table.tHead.rows[0].cells.length;
    const entries = Object.entries(buttons);
    const shown = [...table.tBodies[0].rows].filter((tr) => !tr.classList.contains('empty-row'))
      .map((tr) => tr.cells[0].textContent + '=' + tr.cells[1].textContent).join('|');
    if (shown === entries.map(([p, n]) => p + '=' + nf.format(n)).join('|')) { return; } // keep a form being used
    rows('buttons', entries, columns, 'No button pressed yet.', ([payload, n]) => [payload, nf.format(n)], [1]);
    if (!retarget || !entries.length) { return; }
    [...table.tBodies[0].rows].forEach((tr, i) => {
      const payload = entries[i][0];
      const form = retarget.content.firstElementChild.cloneNode(true);
      form.querySelector('input[name="payload"]').value = payload;
      const button = form.querySelector('button');
      button.title = 'A draft to everyone who pressed ' + payload;
      button.setAttribute('aria-label', 'Retarget those who pressed ' + payload);
      const td = tr.insertCell(); td.className = 'num'; td.append(form);
    });
  }

  function rows(key, items, columns, emptyText, cells, numeric) {
    const body = document.querySelector('[data-live="' + key + '"] tbody');
    if (!body) { return; }
    const sig = JSON.stringify(items.map(cells));
    if (body.dataset.sig === sig) { return; } // unchanged: keep the rows (and what a reader is on)
    body.dataset.sig = sig;
    body.replaceChildren();
    if (!items.length) {
      const tr = body.insertRow(); tr.className = 'empty-row';
      const td = tr.insertCell(); td.colSpan = columns; td.textContent = emptyText;
      return;
    }
    items.forEach((item) => {
      const tr = body.insertRow();
      cells(item).forEach((text, i) => { const td = tr.insertCell(); td.textContent = text; if (numeric.includes(i)) { td.className = 'num'; } });
    });
  }

  function duration(seconds) {
    const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = Math.floor(seconds % 60);
    return h > 0 ? h + ' h ' + m + ' min' : m > 0 ? m + ' min ' + s + ' s' : s + ' s';
  }

  function timelineChart(stats) {
    const canvas = document.getElementById('timeline');
    if (!canvas || !window.Chart) { return null; }
    const series = (label, color) => ({ label, data: [], borderColor: color, backgroundColor: color + '33', tension: 0.25, pointRadius: 2, fill: false });
    const chart = new Chart(canvas, {
      type: 'line',
      data: { labels: [], datasets: [series('Sent', '#0f7b6c'), series('Delivered', '#1a7f37'), series('Read', '#2459a8'), series('Failed', '#b42318')] },
      options: {
        animation: false, maintainAspectRatio: false, interaction: { mode: 'index', intersect: false },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: 'bottom' } }
      }
    });
    fillChart(chart, stats.timeline);
    return chart;
  }

  function fillChart(chart, timeline) {
    const points = (timeline || []).slice().sort((a, b) => a.minute.localeCompare(b.minute));
    chart.data.labels = points.map((b) => new Date(b.minute).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' }));
    ['sent', 'delivered', 'read', 'failed'].forEach((k, i) => { chart.data.datasets[i].data = points.map((b) => b[k]); });
    chart.update();
    const empty = document.querySelector('[data-live="timeline-empty"]');
    if (empty) { empty.hidden = points.length > 0; }
  }

  // ---- wizard: template preview and variables ------------------------------------------------------
  function wizardTemplate() {
    const select = document.getElementById('template');
    if (!select) { return; }
    const update = () => preview(select);
    select.addEventListener('change', () => { variableFields(select); update(); });
    document.addEventListener('input', (e) => { if (e.target.closest('#variables')) { update(); } });
    variableFields(select);
    update();
  }

  function chosen(select) {
    const option = select.options[select.selectedIndex];
    if (!option || !option.value) { return null; }
    const all = JSON.parse(document.getElementById('templates-data').textContent);
    return all.find((t) => String(t.id) === option.dataset.id) || null;
  }

  // One input per variable of the chosen template, keeping values already typed. A box marked
  // data-attributes (the series form) also asks, per variable, which contact attribute gives it.
  function variableFields(select) {
    const box = document.getElementById('variables');
    if (!box) { return; }
    const t = chosen(select);
    const pairs = box.dataset.attributes === 'true';
    const typed = {};
    box.querySelectorAll('input[data-key]').forEach((i) => { typed[i.dataset.key] = i.value; });
    box.querySelectorAll('.field[data-generated]').forEach((f) => f.remove());
    const keys = t ? t.variables : [];
    const existing = new Set([...box.querySelectorAll('input[data-key]')].map((i) => i.dataset.key));
    const before = box.querySelector('.field-error, p.hint:last-of-type');
    keys.filter((k) => !existing.has(k)).forEach((key) => {
      const field = document.createElement('div');
      field.className = pairs ? 'field variable-pair' : 'field'; field.dataset.generated = 'true';
      const id = 'var-' + key.replace(/[^a-z0-9]/gi, '-');
      const label = document.createElement('label'); label.htmlFor = id; label.textContent = key;
      const input = document.createElement('input');
      input.id = id; input.name = 'var.' + key; input.dataset.key = key; input.value = typed[key] || '';
      if (pairs) {
        input.placeholder = 'default value';
        const attr = document.createElement('input');
        attr.id = 'attr-' + key.replace(/[^a-z0-9]/gi, '-'); attr.name = 'attr.' + key; attr.dataset.attrKey = key;
        attr.placeholder = 'from contact attribute'; attr.setAttribute('aria-label', key + ' from contact attribute');
        const pair = document.createElement('div'); pair.className = 'pair'; pair.append(input, attr);
        field.append(label, pair);
      } else {
        input.placeholder = 'default for every recipient (a CSV column ' + key + ' overrides it)';
        field.append(label, input);
      }
      if (pairs && before) { box.insertBefore(field, before); } else { box.append(field); }
    });
    box.querySelectorAll('input[data-key]').forEach((i) => { i.closest('.field').hidden = !keys.includes(i.dataset.key); });
    const none = document.getElementById('variables-none');
    if (none) { none.hidden = keys.length > 0; }
  }

  function preview(select) {
    const target = document.getElementById('template-preview');
    if (!target) { return; }
    const t = chosen(select);
    target.replaceChildren();
    if (!t) { target.textContent = 'Choose a template to see the message.'; return; }
    const values = {};
    document.querySelectorAll('#variables input[data-key]').forEach((i) => { values[i.dataset.key] = i.value; });
    const bubble = document.createElement('div'); bubble.className = 'bubble';
    const fill = (el, text, prefix) => {
      String(text).split(/(\{\{\d+\}\})/).forEach((part) => {
        const m = part.match(/^\{\{(\d+)\}\}$/);
        if (!m) { el.append(part); return; }
        const key = prefix === 'header' ? 'header.text' : prefix + '.' + m[1];
        const span = document.createElement('span');
        span.className = values[key] ? 'ph' : 'ph ph-missing';
        span.textContent = values[key] || '{{' + m[1] + '}}';
        el.append(span);
      });
    };
    if (t.headerType) {
      const h = document.createElement('div'); h.className = 'bubble-header';
      if (t.headerType === 'text') { fill(h, t.headerText || '', 'header'); } else { h.textContent = '[' + t.headerType + ']'; }
      bubble.append(h);
    }
    const b = document.createElement('div'); b.className = 'bubble-body'; fill(b, t.body, 'body'); bubble.append(b);
    if (t.footer) { const f = document.createElement('div'); f.className = 'bubble-footer'; f.textContent = t.footer; bubble.append(f); }
    if (t.buttons && t.buttons.length) {
      const bs = document.createElement('div'); bs.className = 'bubble-buttons';
      t.buttons.forEach((btn) => { const x = document.createElement('span'); x.className = 'bubble-button'; x.textContent = btn.text; bs.append(x); });
      bubble.append(bs);
    }
    target.append(bubble);
    const meta = document.getElementById('template-meta');
    if (meta) { meta.textContent = t.category + ' · ' + t.language + ' · ' + t.status; }
  }

  // ---- wizard: CSV upload with a progress bar ------------------------------------------------------
  function wizardUpload() {
    const form = document.getElementById('upload-form');
    if (!form) { return; }
    const input = form.querySelector('input[type=file]');
    const zone = document.getElementById('dropzone');
    const bar = document.getElementById('upload-bar');
    const label = document.getElementById('upload-label');
    const result = document.getElementById('upload-result');
    zone.addEventListener('click', () => input.click());
    zone.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); input.click(); } });
    zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
    zone.addEventListener('dragleave', () => zone.classList.remove('over'));
    zone.addEventListener('drop', (e) => {
      e.preventDefault(); zone.classList.remove('over');
      if (e.dataTransfer.files.length) { input.files = e.dataTransfer.files; send(input.files[0]); }
    });
    input.addEventListener('change', () => { if (input.files.length) { send(input.files[0]); } });
    form.addEventListener('submit', (e) => { e.preventDefault(); if (input.files.length) { send(input.files[0]); } });

    function send(file) {
      const xhr = new XMLHttpRequest();
      // fields marked data-upload-param travel as query parameters (the body is the file itself)
      const params = new URLSearchParams();
      form.querySelectorAll('[data-upload-param]').forEach((el) => {
        if (el.type === 'checkbox') { if (el.checked) { params.append(el.name, 'true'); } }
        else if (el.value.trim()) { params.append(el.name, el.value.trim()); }
      });
      const query = params.toString();
      xhr.open('POST', form.dataset.uploadUrl + (query ? '?' + query : ''));
      xhr.setRequestHeader('Content-Type', 'text/csv');
      xhr.setRequestHeader('X-CSRF-TOKEN', csrf());
      xhr.setRequestHeader('X-File-Name', encodeURIComponent(file.name));
      bar.parentElement.hidden = false;
      label.textContent = 'Uploading ' + file.name + '…';
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) {
          const p = 100 * e.loaded / e.total;
          bar.style.width = p + '%'; bar.parentElement.setAttribute('aria-valuenow', p.toFixed(0));
          label.textContent = p < 100 ? 'Uploading ' + file.name + ': ' + p.toFixed(0) + '%' : 'Checking every row…';
        }
      };
      xhr.onload = () => {
        bar.style.width = '100%';
        label.textContent = xhr.status < 300 ? 'Uploaded ' + file.name + '.' : 'The upload was refused.';
        result.innerHTML = xhr.responseText; // server-rendered fragment of this console
        const report = result.querySelector('[data-recipients]');
        const total = document.querySelector('#audience-total strong');
        if (report && total) { total.textContent = report.dataset.recipients; }
        if (window.htmx) { htmx.process(result); }
      };
      xhr.onerror = () => { label.textContent = 'The upload failed: the console did not answer. Try again.'; };
      xhr.send(file);
    }
  }
})();
