'use strict';
// The sample's page: plain DOM, no framework. Every text from the server goes in with
// textContent, never innerHTML.
(() => {
  const DATABASES = [
    {
      name: 'finance',
      sections: [
        { key: 'employees', title: 'Employees', columns: [
          { field: 'id', title: '#', cls: 'id' },
          { field: 'name', title: 'Name' },
          { field: 'email', title: 'E-mail' },
          { field: 'department', title: 'Department' }] },
        { key: 'customers', title: 'Customers', columns: [
          { field: 'id', title: '#', cls: 'id' },
          { field: 'name', title: 'Name' },
          { field: 'country', title: 'Country' }] },
        { key: 'invoices', title: 'Invoices', form: invoiceForm, columns: [
          { field: 'id', title: '#', cls: 'id' },
          { field: 'customerId', title: 'Customer', format: (v) => lookup('customers', v, 'name') },
          { field: 'amount', title: 'Amount', cls: 'num', format: money },
          { field: 'issuedOn', title: 'Issued' },
          { field: 'createdBy', title: 'Created by' }] }
      ]
    },
    {
      name: 'staff',
      sections: [
        { key: 'projects', title: 'Projects', columns: [
          { field: 'id', title: '#', cls: 'id' },
          { field: 'code', title: 'Code' },
          { field: 'name', title: 'Name' }] },
        { key: 'hours', title: 'Hours', form: hourForm, columns: [
          { field: 'id', title: '#', cls: 'id' },
          { field: 'workDate', title: 'Date' },
          { field: 'person', title: 'Person' },
          { field: 'projectId', title: 'Project', format: (v) => lookup('projects', v, 'code') },
          { field: 'hours', title: 'Hours', cls: 'num', format: (v) => Number(v).toFixed(2) },
          { field: 'note', title: 'Note' }] }
      ]
    }
  ];

  const $ = (id) => document.getElementById(id);
  const loaded = {}; // section key -> rows, for lookups
  let user = null;

  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') e.textContent = v;
      else if (k === 'cls') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
      if (c !== null && c !== undefined) e.append(c);
    }
    return e;
  }

  function money(v) {
    const n = Number(v);
    return Number.isFinite(n)
      ? n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : String(v);
  }

  function lookup(key, id, field) {
    const row = (loaded[key] || []).find((r) => r.id === id);
    return row ? row[field] : '#' + id;
  }

  async function api(method, path, body) {
    const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(path, init);
    } catch (e) {
      return { status: 0, data: { error: 'network_error' } };
    }
    let data = null;
    if (res.status !== 204) {
      try { data = await res.json(); } catch (e) { data = null; }
    }
    return { status: res.status, data };
  }

  // ---- login and logout -------------------------------------------------------------

  function showLogin(message) {
    user = null;
    $('app-view').hidden = true;
    $('session').hidden = true;
    $('databases').replaceChildren();
    $('login-view').hidden = false;
    const error = $('login-error');
    error.hidden = !message;
    error.textContent = message || '';
    $('password').value = '';
    $('username').focus();
  }

  async function onLogin(event) {
    event.preventDefault();
    const username = $('username').value.trim();
    const password = $('password').value;
    const error = $('login-error');
    if (!username || !password) {
      error.textContent = 'Enter your user name and password.';
      error.hidden = false;
      return;
    }
    $('login-submit').disabled = true;
    const res = await api('POST', '/api/login', { username, password });
    $('login-submit').disabled = false;
    $('password').value = '';
    if (res.status === 200) {
      await showApp();
      return;
    }
    error.textContent = {
      400: 'Enter your user name and password.',
      401: 'PostgreSQL refused this user name or password.',
      503: 'The login database is not available right now. Try again shortly.'
    }[res.status] || 'Signing in failed (' + (res.data && res.data.error || res.status) + ').';
    error.hidden = false;
  }

  async function onLogout() {
    await api('POST', '/api/logout');
    showLogin();
  }

  // ---- the databases ------------------------------------------------------------------

  async function showApp() {
    const me = await api('GET', '/api/me');
    if (me.status !== 200) {
      showLogin(me.status === 401 ? '' : 'Could not load your session (' + me.status + ').');
      return;
    }
    user = me.data.user;
    $('me-user').textContent = user;
    $('login-view').hidden = true;
    $('session').hidden = false;
    $('app-view').hidden = false;
    const container = $('databases');
    container.replaceChildren();
    for (const key of Object.keys(loaded)) delete loaded[key];
    await Promise.all(DATABASES.map((db) => {
      const panel = databasePanel(db, me.data.databases[db.name] || {});
      container.append(panel.element);
      return panel.load();
    }));
  }

  function statusChip(status) {
    if (status.current_user) {
      return el('span', { cls: 'chip chip-ok', text: 'connected as ' + status.current_user });
    }
    if (status.error === 'access_denied') return el('span', { cls: 'chip chip-denied', text: 'no access' });
    if (status.error === 'database_unavailable') return el('span', { cls: 'chip chip-down', text: 'unavailable' });
    return el('span', { cls: 'chip chip-down', text: status.error || 'unknown' });
  }

  function databasePanel(db, status) {
    const body = el('div', { cls: 'db-body' });
    const element = el('article', { cls: 'card db-panel', id: 'db-' + db.name, 'data-state': 'loading' },
      el('header', {}, el('h2', { text: db.name }), statusChip(status)),
      body);
    const sections = db.sections.map((s) => section(db, s));
    let load;
    if (status.error === 'access_denied') {
      element.dataset.state = 'denied';
      element.classList.add('db-denied');
      body.append(stateBox('denied', 'No access to this database',
        'PostgreSQL does not let ' + user + ' connect to ' + db.name + '. Nothing here is visible.'));
      load = async () => {};
    } else {
      element.dataset.state = 'ok';
      body.append(...sections.map((s) => s.element));
      // In order: invoices name their customers, hours their projects.
      load = async () => { for (const s of sections) await s.load(); };
    }
    return { element, load };
  }

  const ICONS = {
    denied: ['M5 11h14v10H5z', 'M8 11V7a4 4 0 0 1 8 0v4'],
    down: ['M12 3 2 21h20z', 'M12 10v5', 'M12 18h.01'],
    empty: ['M3 12a9 9 0 1 0 18 0a9 9 0 1 0-18 0', 'M8 12h8'],
    wait: ['M3 12a9 9 0 1 0 18 0a9 9 0 1 0-18 0', 'M12 7v5l3 2']
  };

  function icon(kind) {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    for (const [k, v] of Object.entries({ viewBox: '0 0 24 24', width: 18, height: 18, fill: 'none',
      stroke: 'currentColor', 'stroke-width': 2, 'stroke-linecap': 'round', 'stroke-linejoin': 'round',
      class: 'state-icon', 'aria-hidden': 'true' })) {
      svg.setAttribute(k, v);
    }
    for (const d of ICONS[kind]) {
      const path = document.createElementNS(ns, 'path');
      path.setAttribute('d', d);
      svg.append(path);
    }
    return svg;
  }

  function stateBox(kind, title, text) {
    return el('div', { cls: 'state state-' + kind, 'data-kind': kind }, icon(kind),
      el('div', {}, el('strong', { text: title }), text ? el('span', { text }) : null));
  }

  function section(db, spec) {
    const count = el('span', { cls: 'count' });
    const content = el('div', { cls: 'content' });
    const element = el('section', { cls: 'section', id: 'section-' + db.name + '-' + spec.key, 'data-state': 'loading' },
      el('header', {}, el('h3', { text: spec.title }), count), content);
    const self = { element, load: null, fresh: null };
    self.load = async () => {
      content.replaceChildren(stateBox('wait', 'Loading\u2026'));
      const res = await api('GET', '/api/' + db.name + '/' + spec.key);
      count.textContent = '';
      if (res.status === 401) { showLogin('Your session has ended. Please sign in again.'); return; }
      if (res.status === 200) {
        loaded[spec.key] = res.data;
        element.dataset.state = 'ok';
        count.textContent = res.data.length + (res.data.length === 1 ? ' row' : ' rows');
        content.replaceChildren(res.data.length ? table(spec, res.data, self.fresh)
          : stateBox('empty', 'Nothing here yet', null));
        if (spec.form) content.append(spec.form(self));
      } else if (res.status === 403) {
        element.dataset.state = 'denied';
        content.replaceChildren(stateBox('denied', 'Permission denied',
          'PostgreSQL refused ' + user + ' access to ' + spec.title.toLowerCase() + '.'));
      } else if (res.status === 503) {
        element.dataset.state = 'unavailable';
        content.replaceChildren(stateBox('down', 'Database unavailable', 'The ' + db.name
          + ' server cannot be reached right now.'),
          el('button', { cls: 'btn btn-primary btn-small', type: 'button', text: 'Retry', onclick: () => self.load() }));
      } else {
        element.dataset.state = 'error';
        content.replaceChildren(stateBox('down', 'Could not load', (res.data && res.data.error) || String(res.status)));
      }
    };
    return self;
  }

  function table(spec, rows, freshId) {
    return el('table', {},
      el('thead', {}, el('tr', {}, spec.columns.map((c) => el('th', { cls: c.cls, text: c.title })))),
      el('tbody', {}, rows.map((row) => el('tr', { cls: row.id === freshId ? 'fresh' : null, 'data-id': row.id },
        spec.columns.map((c) => el('td', { cls: c.cls, text: c.format ? c.format(row[c.field]) : String(row[c.field] ?? '') }))))));
  }

  function postResult(res, what) {
    if (res.status === 201) return null;
    return {
      400: 'Check the values and try again.',
      401: 'Your session has ended. Please sign in again.',
      403: 'Permission denied: PostgreSQL refused ' + user + ' to add ' + what + '.',
      503: 'The database is not available right now.'
    }[res.status] || 'Failed (' + ((res.data && res.data.error) || res.status) + ').';
  }

  function addForm(idPrefix, fields, submitText, onSubmit) {
    const message = el('div', { cls: 'alert form-message', id: idPrefix + '-message', role: 'status', hidden: true });
    const button = el('button', { cls: 'btn btn-primary', id: idPrefix + '-submit', type: 'submit', text: submitText });
    const form = el('form', { cls: 'add-form', id: idPrefix + '-form', novalidate: true }, fields, button, message);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      button.disabled = true;
      const error = await onSubmit();
      button.disabled = false;
      if (error) {
        message.className = 'alert form-message alert-error';
        message.textContent = error;
        message.hidden = false;
      }
    });
    return form;
  }

  function options(rows, label) {
    return rows.map((r) => el('option', { value: r.id, text: label(r) }));
  }

  function invoiceForm(sectionRef) {
    const customers = loaded.customers || [];
    const customer = customers.length
      ? el('select', { id: 'invoice-customer' }, options(customers, (c) => c.name))
      : el('input', { id: 'invoice-customer', type: 'number', min: 1, placeholder: 'id' });
    const amount = el('input', { id: 'invoice-amount', inputmode: 'decimal', placeholder: '0.00' });
    return addForm('invoice', [
      el('label', {}, 'Customer', customer),
      el('label', {}, 'Amount', amount)
    ], 'Add invoice', async () => {
      const res = await api('POST', '/api/finance/invoices',
        { customerId: Number(customer.value), amount: amount.value.trim() });
      if (res.status === 201) {
        sectionRef.fresh = res.data.id;
        await sectionRef.load();
      }
      return postResult(res, 'invoices');
    });
  }

  function hourForm(sectionRef) {
    const projects = loaded.projects || [];
    const project = projects.length
      ? el('select', { id: 'hour-project' }, options(projects, (p) => p.code + ' \u2013 ' + p.name))
      : el('input', { id: 'hour-project', type: 'number', min: 1, placeholder: 'id' });
    const hours = el('input', { id: 'hour-hours', type: 'number', min: '0.25', max: '24', step: '0.25', value: '1.5' });
    const note = el('input', { id: 'hour-note', maxlength: 200, placeholder: 'What did you work on?' });
    return addForm('hour', [
      el('label', {}, 'Project', project),
      el('label', {}, 'Hours', hours),
      el('label', { cls: 'grow' }, 'Note', note)
    ], 'Add hours', async () => {
      const res = await api('POST', '/api/staff/hours',
        { projectId: Number(project.value), hours: Number(hours.value), note: note.value });
      if (res.status === 201) {
        sectionRef.fresh = res.data.id;
        await sectionRef.load();
      }
      return postResult(res, 'hours');
    });
  }

  // The budget panel: each database's connections in use against its budget, from /health.
  async function refreshBudget() {
    let health = null;
    try {
      const res = await fetch('/health', { headers: { Accept: 'application/json' } });
      health = await res.json();
    } catch (e) {
      health = null;
    }
    const panel = $('budget');
    const rows = [];
    for (const [name, db] of Object.entries((health && health.databases) || {})) {
      const pct = Math.round(100 * Math.min(1, Number(db.saturation) || 0));
      const fill = el('span', { cls: 'budget-fill budget-' + db.status });
      fill.style.width = pct + '%'; // CSSOM, which the page's CSP allows (a style attribute it would not)
      rows.push(el('div', { cls: 'budget-row', 'data-database': name },
        el('span', { cls: 'budget-name', text: name }),
        el('span', { cls: 'budget-bar', role: 'meter', 'aria-valuemin': '0',
          'aria-valuemax': String(db.budget), 'aria-valuenow': String(db.budgetUsed),
          'aria-label': name + ' connections in use' }, fill),
        el('span', { cls: 'budget-figure',
          text: db.budgetUsed + ' / ' + db.budget + (db.waiting > 0 ? ' · ' + db.waiting + ' waiting' : '') }),
        el('span', { cls: 'budget-status budget-status-' + db.status, text: db.status })));
    }
    panel.replaceChildren(el('span', { cls: 'budget-title', text: 'Connection budget' }),
      ...(rows.length ? rows : [el('span', { cls: 'muted', text: 'unavailable' })]));
  }

  document.addEventListener('DOMContentLoaded', async () => {
    refreshBudget();
    setInterval(refreshBudget, 3000);
    $('login-form').addEventListener('submit', onLogin);
    $('logout').addEventListener('click', onLogout);
    const me = await api('GET', '/api/me');
    if (me.status === 200) await showApp(); else showLogin();
  });
})();
