// rcommerce widgets, the core: <rc-stars>, <rc-reviews>, <rc-review-form>, <rc-referral>, and the
// loader of the widgets that live in modules (embeds/modules/*.js, e.g. <rc-testimonials>).
// Plain JavaScript custom elements, each in its own shadow root; no framework, no build step.
// Rules kept throughout: data from the API is only ever set as text (textContent, Text nodes,
// setAttribute on inert attributes), never parsed as HTML; links from data must be http(s).
// The widgets' texts are in embeds/strings.json; the store's config delivers them (one request
// every widget waits for anyway), so the script carries no language.
// Served minified by rcommerce/embed/routes.py, which drops whole-line `//` comments and
// indentation: keep comments on their own lines and never start a line inside a string with `//`.
(() => {
'use strict';
const W = window, D = document;
if (W.rcommerce && W.rcommerce.version) return;
const SCRIPT = D.currentScript || [...D.scripts].find((s) => /\/embed\/v1\/embed\.js(\?|$)/.test(s.src));
if (!SCRIPT) return;
const API = SCRIPT.src.replace(/\/embed\.js([?#].*)?$/, '');
const KEY = SCRIPT.dataset.key || '';
const VERSION = '__RC_VERSION__';
const REF = 'rc_ref';
const DAY = 864e5;

// ---- storage that never throws (Safari private mode, blocked third-party storage) ----
const tryLs = (f) => { try { return f(localStorage); } catch (e) { return null; } };
const ls = {
  get: (k) => tryLs((s) => JSON.parse(s.getItem(k))),
  set: (k, v) => tryLs((s) => s.setItem(k, JSON.stringify(v))),
  del: (k) => tryLs((s) => s.removeItem(k)),
};
const cookie = (name, value, maxAge) => {
  const secure = location.protocol === 'https:' ? ';Secure' : '';
  D.cookie = `${name}=${encodeURIComponent(value)};Max-Age=${maxAge};Path=/;SameSite=Lax${secure}`;
};

// ---- the referral token (rc_ref) kept first-party on the shop's own origin ----
const REF_DAYS = +SCRIPT.dataset.refDays || 30;
const referral = () => {
  const v = ls.get(REF);
  if (v && v.t && v.exp > Date.now()) return v.t;
  const m = D.cookie.match(/(?:^|;\s*)rc_ref=([^;]+)/);
  return m ? decodeURIComponent(m[1]) : null;
};
const keepReferral = () => {
  const url = new URL(location.href);
  const token = url.searchParams.get(REF);
  // Signed tokens are URL-safe base64 with dots; anything else is not ours.
  if (!token || !/^[\w.~-]{8,1024}$/.test(token)) return;
  ls.set(REF, { t: token, exp: Date.now() + REF_DAYS * DAY, at: Date.now() });
  cookie(REF, token, REF_DAYS * 86400);
  url.searchParams.delete(REF);
  try { history.replaceState(history.state, '', url.href); } catch (e) { /* sandboxed frame */ }
  W.dispatchEvent(new CustomEvent('rcommerce:referral', { detail: { token } }));
};
keepReferral();

// ---- strings: embeds/strings.json, from the config; {0} {1} are arguments, and a pair
// [one, many] is picked by the first argument. Only the error of a failed config is built in. ----
const STR = {
  en: { loadError: 'Could not load this. Please try again later.' },
  vi: { loadError: 'Không tải được. Vui lòng thử lại sau.' },
};
const addStrings = (more) => { for (const l in more || {}) Object.assign(STR[l] || (STR[l] = {}), more[l]); };
const format = (s, args) => String(Array.isArray(s) ? s[args[0] === 1 ? 0 : 1] : s).replace(/\{(\d)\}/g, (m, i) => args[i]);
const LOCALE = { vi: 'vi-VN', en: 'en-GB' };
let forcedLang = null;
let storeLang = null;
let currency = 'VND';
const lang2 = (l) => (l || '').toLowerCase().slice(0, 2);
const langOf = (el) => [el.getAttribute('lang'), forcedLang, SCRIPT.dataset.lang, storeLang, D.documentElement.lang]
  .map(lang2).find((l) => LOCALE[l]) || 'vi';
const money = (n, cur = currency, l = 'vi') => new Intl.NumberFormat(LOCALE[l] || l, { style: 'currency', currency: cur }).format(n);
const safeUrl = (u) => { try { const x = new URL(u, API); return /^https?:$/.test(x.protocol) ? x.href : null; } catch (e) { return null; } };

// ---- HTTP ----
// A POST sends JSON, or a file as it is (type = its media type). rc_vid is the visitor id the
// server signed and handed out with a vote (a made-up one counts as none).
const api = async (path, body, type) => {
  const init = body === undefined ? {} : {
    method: 'POST',
    headers: { 'Content-Type': type || 'application/json', 'X-RC-Visitor': ls.get('rc_vid') || '' },
    body: type ? body : JSON.stringify(body),
  };
  const res = await fetch(`${API}/${encodeURIComponent(KEY)}${path}`, init);
  let data = null;
  try { data = await res.json(); } catch (e) { /* empty body */ }
  if (!res.ok) {
    const err = (data && data.error) || {};
    throw Object.assign(new Error(err.message || `HTTP ${res.status}`), { status: res.status, code: err.code, fields: err.fields || [] });
  }
  return data || {};
};
const memo = new Map();
const get = (path) => {
  if (!memo.has(path)) memo.set(path, api(path).catch((e) => { memo.delete(path); throw e; }));
  return memo.get(path);
};
const config = get('/config').then((c) => { storeLang = c.locale; currency = c.currency || currency; addStrings(c.strings); return c; });
// Without the config (an origin the key does not allow, a wrong key, the server down) every
// widget renders nothing, and the console says why, in one line.
config.catch((e) => fetch(SCRIPT.src, { method: 'HEAD', cache: 'no-store' }).then(() => 0, () => 1).then((down) => console.warn(`rcommerce: widgets hidden: ${e.status ? e.message : down ? `${API} is unreachable` : `${location.origin} is not an allowed origin of key ${KEY}, or the key is unknown`}`)));
// A product's path, or the store's own (store reviews have no product).
const subj = (p) => (p ? `/products/${encodeURIComponent(p)}` : '/store');
const summaryOf = (product) => get(`${subj(product)}/summary`);

// ---- DOM helpers: every string child becomes a Text node ----
const h = (tag, attrs, ...kids) => {
  const el = D.createElement(tag);
  for (const k in attrs || {}) {
    const v = attrs[k];
    if (v == null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'value' || k === 'checked') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  el.append(...kids.flat(9).filter((x) => x != null && x !== false));
  return el;
};
const fmtAvg = (a, l) => new Intl.NumberFormat(LOCALE[l], { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(a || 0);
const starBar = (avg, label) => h('span', { class: 'stars', part: 'stars', role: 'img', 'aria-label': label },
  h('span', { class: 'fill', part: 'star-fill', style: `width:${Math.max(0, Math.min(100, (+avg || 0) * 20))}%`, 'aria-hidden': 'true' }, '★★★★★'),
  h('span', { 'aria-hidden': 'true' }, '★★★★★'));
let uid = 0;
const nextId = (p) => `${p}${++uid}`;

const STYLE = `
:host{all:initial;display:block;box-sizing:border-box;font:var(--rc-font-size,15px)/1.5 var(--rc-font,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif);color:var(--rc-text,#1f2328);--a:var(--rc-accent,#0b57d0);--m:var(--rc-muted,#57606a);--b:var(--rc-border,#d0d7de);--r:var(--rc-radius,8px);--bg:var(--rc-bg,#fff)}
:host([hidden]){display:none}
*,*::before,*::after{box-sizing:border-box}
.box{background:var(--bg);border:1px solid var(--b);border-radius:var(--r);padding:var(--rc-padding,1rem)}
h2,h3,p,ul,ol,figure,blockquote,fieldset{margin:0;padding:0;border:0;min-width:0}
h2{font-size:1.15em;margin-bottom:.5em}
ul{list-style:none}
a{color:var(--a)}
.muted{color:var(--m);font-size:.9em}
.stars{position:relative;display:inline-block;white-space:nowrap;line-height:1;letter-spacing:1px;color:var(--rc-star-empty,#c4c9cf);vertical-align:-.1em}
.fill{position:absolute;inset:0 auto 0 0;overflow:hidden;color:var(--rc-star,#b7791f)}
button,.btn{font:inherit;cursor:pointer;display:inline-flex;align-items:center;justify-content:center;gap:.4em;min-height:44px;padding:.45em 1em;border-radius:var(--r);border:1px solid var(--a);background:var(--a);color:var(--rc-accent-text,#fff);text-decoration:none}
button.ghost,.btn.ghost{background:transparent;color:var(--a)}
button:disabled{opacity:.6;cursor:progress}
:focus-visible{outline:3px solid var(--rc-focus,#1a7f37);outline-offset:2px}
input,textarea,select{font:inherit;color:inherit;background:var(--bg);border:1px solid var(--rc-input-border,#6e7781);border-radius:var(--r);padding:.5em .6em;width:100%;min-height:44px}
textarea{min-height:7em;resize:vertical}
label{display:block;font-weight:600;margin:.8em 0 .25em}
.check{display:flex;gap:.5em;align-items:flex-start;font-weight:400}
.check input{width:auto;min-height:0;margin-top:.3em}
.err{color:var(--rc-error,#b42318);font-size:.9em;margin:.25em 0 0}
[aria-invalid=true]{border-color:var(--rc-error,#b42318)}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.row{display:flex;flex-wrap:wrap;gap:.5em;align-items:center}
.badge{display:inline-block;font-size:.8em;padding:.1em .5em;border-radius:999px;background:var(--rc-badge-bg,#dafbe1);color:var(--rc-badge,#116329)}
`;

// ---- base element ----
class Widget extends HTMLElement {
  static get observedAttributes() { return ['lang', 'product', 'layout', 'order', 'email']; }
  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.append(h('style', null, STYLE + this.constructor.css), (this.box = h('div', { part: 'container', class: 'wrap' })));
  }
  get L() { return langOf(this); }
  t(key, ...args) { const s = STR[this.L]; return format(key in s ? s[key] : key, args); }
  connectedCallback() { if (!this.started) { this.started = 1; this.setup(); this.start(); } }
  setup() {}
  attributeChangedCallback(name, old, val) {
    if (!this.started || old === val) return;
    if (name === 'lang') this.paint(); else this.start();
  }
  async start() {
    this.setAttribute('aria-busy', 'true');
    try {
      await config;
      await this.load();
      this.failed = 0;
    } catch (e) {
      this.failed = e;
    }
    this.removeAttribute('aria-busy');
    this.paint();
  }
  load() {}
  paint() {
    // A widget that could not load shows nothing (never an error on every product card).
    this.hidden = !!this.failed;
    this.box.replaceChildren(...[this.failed ? [] : this.view()].flat(9).filter(Boolean));
    if (!this.painted) {
      this.painted = 1;
      this.emit('rcommerce:render', { failed: !!this.failed });
    }
  }
  emit(name, detail) { this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true })); }
  get product() { return this.getAttribute('product') || ''; }
}

// ---- <rc-stars product> ----
class Stars extends Widget {
  async load() { this.s = await summaryOf(this.product); }
  view() {
    const s = this.s || {}, n = s.count || 0;
    if (!n) return h('span', { class: 'muted', part: 'count' }, this.t('noReviews'));
    const target = this.getAttribute('href') || '#reviews';
    return h('a', {
      href: target[0] === '#' ? target : safeUrl(target) || '#', part: 'link', class: 'row',
      onclick: (e) => {
        const list = D.querySelector(`rc-reviews[product="${W.CSS.escape(this.product)}"]`);
        if (list) { e.preventDefault(); list.scrollIntoView({ behavior: 'smooth', block: 'start' }); list.focus({ preventScroll: true }); }
      },
    }, starBar(s.average, this.t('rated', fmtAvg(s.average, this.L))),
    h('span', { part: 'average', class: 'avg' }, fmtAvg(s.average, this.L)),
    h('span', { part: 'count', class: 'muted' }, `(${this.t('nReviews', n)})`));
  }
}
Stars.css = ':host{display:inline-block;min-height:1.6em;min-width:9em;vertical-align:middle}a{text-decoration:none;gap:.35em}a:hover .muted{text-decoration:underline}.avg{font-weight:600}';

// ---- <rc-reviews product> ----
const SORTS = ['newest', 'highest', 'lowest', 'helpful', 'photos'];
class Reviews extends Widget {
  constructor() { super(); this.q = { sort: 'newest', rating: '', verified: '' }; this.status = h('p', { class: 'sr', role: 'status' }); }
  setup() { if (!this.hasAttribute('tabindex')) this.tabIndex = -1; }
  query(cursor) {
    const p = new URLSearchParams();
    for (const k in this.q) if (this.q[k]) p.set(k, this.q[k]);
    if (cursor) p.set('cursor', cursor);
    return `${subj(this.product)}/reviews?${p}`;
  }
  async load() {
    const d = await api(this.query());
    this.summary = d.summary || {};
    this.items = d.reviews || [];
    this.next = d.next || null;
  }
  async more(btn) {
    btn.disabled = true;
    this.status.textContent = this.t('loading');
    try {
      const d = await api(this.query(this.next));
      const first = this.items.length;
      this.items = this.items.concat(d.reviews || []);
      this.next = d.next || null;
      this.paint();
      const li = this.box.querySelectorAll('li.review')[first];
      if (li) li.focus();
    } catch (e) {
      btn.disabled = false;
      this.status.textContent = this.t('loadError');
    }
  }
  refilter(k, v) { this.q[k] = v; this.start(); }
  view() {
    const s = this.summary, n = s.count || 0, dist = s.distribution || {};
    const list = this.items.map((r) => this.review(r));
    const sortId = nextId('s');
    if (!n) return h('p', { class: 'muted empty', part: 'empty' }, this.t('empty'));
    return [
      h('div', { class: 'summary box', part: 'summary' },
        h('div', { class: 'big' },
          h('strong', { class: 'avg', part: 'average' }, fmtAvg(s.average, this.L)),
          starBar(s.average, this.t('rated', fmtAvg(s.average, this.L))),
          h('p', { class: 'muted' }, this.t('based', n))),
        h('ul', { class: 'dist', part: 'distribution' }, [5, 4, 3, 2, 1].map((star) => {
          const c = +dist[star] || 0, pct = Math.round((c / n) * 100);
          return h('li', null, h('button', {
            class: 'ghost bar-row', 'aria-pressed': String(this.q.rating === String(star)),
            'aria-label': this.t('rowLabel', c, star, pct), disabled: !c && this.q.rating !== String(star),
            onclick: () => this.refilter('rating', this.q.rating === String(star) ? '' : String(star)),
          }, h('span', { 'aria-hidden': 'true' }, `${star}★`),
          h('span', { class: 'bar', 'aria-hidden': 'true' }, h('span', { style: `width:${pct}%` })),
          h('span', { 'aria-hidden': 'true', class: 'muted' }, c)));
        }))),
      h('div', { class: 'row controls', part: 'controls' },
        h('label', { for: sortId }, this.t('sort')),
        h('select', { id: sortId, onchange: (e) => this.refilter('sort', e.target.value) },
          SORTS.map((v) => h('option', { value: v, selected: this.q.sort === v }, this.t(v)))),
        h('label', { class: 'check' }, h('input', { type: 'checkbox', checked: !!this.q.verified, onchange: (e) => this.refilter('verified', e.target.checked ? 'true' : '') }), this.t('onlyVerified'))),
      list.length ? h('ul', { class: 'list', part: 'list' }, list) : h('p', { class: 'muted empty' }, this.t('firstOne')),
      this.next && h('button', { class: 'ghost', part: 'button more', onclick: (e) => this.more(e.currentTarget) }, this.t('more')),
      this.status,
    ];
  }
  review(r) {
    const when = r.created_at ? new Intl.DateTimeFormat(LOCALE[this.L], { dateStyle: 'medium' }).format(new Date(r.created_at)) : '';
    const name = String(r.author || '');
    const photos = (r.photos || []).map((p) => safeUrl(p.url)).filter(Boolean);
    const reply = r.reply && r.reply.body;
    const status = h('span', { class: 'muted', role: 'status' });
    const vote = async (e) => {
      const b = e.currentTarget;
      b.disabled = true;
      try {
        const d = await api(`/reviews/${r.id}/votes`, { helpful: true });
        if (d.visitor) ls.set('rc_vid', d.visitor);
        b.textContent = `${this.t('yes')} (${+d.helpful || 0})`;
        status.textContent = this.t('thanks');
      } catch (err) { status.textContent = err.status === 429 ? this.t('eRate') : this.t('eFail'); }
    };
    const report = async (e) => {
      e.currentTarget.disabled = true;
      try { await api(`/reviews/${r.id}/reports`, { reason: 'abuse' }); status.textContent = this.t('reported'); } catch (err) { status.textContent = this.t('eFail'); }
    };
    return h('li', { class: 'review', part: 'review', tabindex: '-1' },
      h('article', null,
        h('div', { class: 'row head' },
          starBar(r.rating, this.t('rated', r.rating)),
          h('strong', { class: 'name', part: 'review-name' }, name),
          r.verified && h('span', { class: 'badge', part: 'badge' }, this.t('verified')),
          r.incentivized && h('span', { class: 'badge', part: 'badge' }, this.t('inc')),
          when && h('time', { class: 'muted', datetime: r.created_at }, when)),
        r.title && h('h3', { class: 'title', part: 'review-title' }, String(r.title)),
        h('p', { class: 'body', part: 'review-body' }, String(r.body || '')),
        photos.length ? h('div', { class: 'row photos' }, photos.map((src, index) => h('a', {
          href: src, target: '_blank', rel: 'noopener noreferrer',
          // In a lightbox on the page (a module); the link is the fallback.
          onclick: (e) => { e.preventDefault(); D.body.append(Object.assign(D.createElement('rc-lightbox'), { photos, index, alt: this.t('photoOf', name) })); },
        }, h('img', { src, alt: this.t('photoOf', name), loading: 'lazy', width: '88', height: '88', part: 'photo' })))) : null,
        reply && h('div', { class: 'reply', part: 'reply' }, h('strong', null, this.t('reply')), h('p', null, String(reply))),
        h('div', { class: 'row actions' },
          h('span', { class: 'muted' }, this.t('helpfulQ')),
          h('button', { class: 'ghost small', part: 'button helpful', onclick: vote }, `${this.t('yes')} (${+r.helpful || 0})`),
          h('button', { class: 'ghost small', part: 'button report', onclick: report }, this.t('report')),
          status)));
  }
}
Reviews.css = `:host{min-height:16rem}
.summary{display:flex;flex-wrap:wrap;gap:1rem 2rem;align-items:center;margin-bottom:1rem}
.big{text-align:center;min-width:8rem}.big .avg{display:block;font-size:2.4em;line-height:1.1}.big .stars{font-size:1.2em}
.dist{flex:1 1 14rem;min-width:0}
.bar-row{width:100%;min-height:32px;padding:.1em .3em;border:0;color:inherit;display:grid;grid-template-columns:2.5em 1fr 2.5em}
.bar-row[aria-pressed=true]{background:var(--rc-highlight,#ddf4ff)}
.bar{height:.6em;background:var(--rc-bar-bg,#eaeef2);border-radius:999px;overflow:hidden}.bar span{display:block;height:100%;background:var(--rc-star,#b7791f)}
.controls{margin:0 0 1rem}.controls label{margin:0;font-weight:400}.controls select{width:auto}
.review{padding:1rem 0;border-top:1px solid var(--b)}
.name{overflow-wrap:anywhere}
.title{font-size:1em;margin:.4em 0 .2em}
.body{white-space:pre-line;overflow-wrap:anywhere;margin:.3em 0}
.photos img{border-radius:6px;object-fit:cover;display:block}
.reply{margin:.5em 0;padding:.6em .8em;border-left:3px solid var(--a);background:var(--rc-reply-bg,#f6f8fa);overflow-wrap:anywhere}
.reply p{white-space:pre-line}
.actions{margin-top:.4em}.small{min-height:32px;padding:.1em .7em;font-size:.9em}`;

// ---- <rc-review-form product> ----
// Limits match the server's (rcommerce/reviews/shapes.py ReviewIn): 1-5 stars, body 1-5000, name 1-100, title 200.
const LIMITS = { body: [1, 5000], name: [1, 100], title: [0, 200] };
// An e-mail or a phone number (the server reads the number: 0901 234 567, +84 90 123 4567);
// who() names the field the server takes it in.
const EMAIL = /^([^\s@]+@[^\s@]+\.[^\s@]+|[\d +.-]{9,})$/;
const who = (e) => ({ [/@/.test(e) ? 'email' : 'phone']: e });
class ReviewForm extends Widget {
  view() {
    if (this.done) return h('p', { class: 'box done', role: 'status', part: 'done' }, this.t(this.done === 'confirmation_sent' ? 'sentConfirm' : 'sent'));
    const id = nextId('rf');
    const field = (name, type, extra) => {
      const input = h(type === 'textarea' ? 'textarea' : 'input', {
        id: id + name, name, type: type === 'textarea' ? null : type, 'aria-describedby': `${id + name}e`, part: 'input', ...extra,
      });
      return [h('label', { for: id + name }, this.t(name)), input, h('p', { class: 'err', id: `${id + name}e` })];
    };
    const stars = [1, 2, 3, 4, 5].map((v) => [
      h('input', { type: 'radio', name: 'rating', value: String(v), id: `${id}r${v}`, class: 'sr', onchange: () => this.lit(v) }),
      h('label', { for: `${id}r${v}`, class: 'star', title: this.t('nStars', v) }, h('span', { 'aria-hidden': 'true' }, '★'), h('span', { class: 'sr' }, this.t('nStars', v))),
    ]);
    this.form = h('form', { class: 'box', part: 'form', novalidate: true, onsubmit: (e) => this.submit(e) },
      h('h2', null, this.t('write')),
      h('fieldset', { 'aria-describedby': `${id}ratinge` }, h('legend', null, this.t('yourRating')), h('div', { class: 'rate' }, stars), h('p', { class: 'err', id: `${id}ratinge` })),
      field('title', 'text', { maxlength: LIMITS.title[1], autocomplete: 'off' }),
      field('body', 'textarea', { required: true, maxlength: LIMITS.body[1] }),
      h('div', { class: 'two' },
        h('div', null, field('name', 'text', { required: true, maxlength: LIMITS.name[1], autocomplete: 'name' })),
        h('div', null, field('email', 'text', { required: true, autocomplete: 'email', maxlength: 320 }))),
      // Photos: the photos module (fetched once some are chosen) shrinks, previews and uploads them.
      field('photo', 'file', { accept: 'image/*', multiple: true, onchange: (e) => this.photos(e.target) }),
      h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'consent', 'aria-describedby': `${id}consente` }), this.t('consent')),
      h('p', { class: 'err', id: `${id}consente` }),
      h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'testimonial' }), this.t('asTestimonial')),
      // A field people never see: bots fill it in, the server then quietly discards the review.
      h('div', { 'aria-hidden': 'true', class: 'hp' }, h('input', { name: 'website', tabindex: '-1', autocomplete: 'off' })),
      h('p', { class: 'err', role: 'alert' }),
      h('button', { type: 'submit', part: 'button submit' }, this.t('submit')));
    return this.form;
  }
  photos(input) {
    let pick = this.form.querySelector('rc-photo-picker');
    if (!pick) input.after(pick = h('rc-photo-picker', { lang: this.getAttribute('lang') }));
    (pick.queue = pick.queue || []).push(...input.files);
    if (pick.add) pick.add();
    input.value = '';
  }
  lit(v) { this.form.querySelectorAll('label.star').forEach((l, i) => l.classList.toggle('on', i < v)); }
  check(f) {
    const v = (n) => (f.elements[n] ? String(f.elements[n].value || '').trim() : '');
    const errors = {};
    const rating = f.querySelector('input[name=rating]:checked');
    if (!rating) errors.rating = this.t('eRating');
    const body = v('body');
    if (body.length < LIMITS.body[0]) errors.body = this.t('eBody');
    else if (body.length > LIMITS.body[1]) errors.body = this.t('eMax', LIMITS.body[1]);
    if (!v('name')) errors.name = this.t('eName');
    else if (v('name').length > LIMITS.name[1]) errors.name = this.t('eMax', LIMITS.name[1]);
    if (!EMAIL.test(v('email'))) errors.email = this.t('eEmail');
    if (!f.elements.consent.checked) errors.consent = this.t('eConsent');
    return errors;
  }
  show(errors) {
    const f = this.form;
    let first = null;
    f.querySelectorAll('.err').forEach((p) => { p.textContent = ''; });
    f.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
    for (const name in errors) {
      const msg = f.querySelector(`[id$="${name}e"]`) || f.querySelector('[role=alert]');
      msg.textContent = errors[name];
      const el = f.elements[name];
      const target = el && (el.length ? el[0] : el);
      if (target) { target.setAttribute('aria-invalid', 'true'); first = first || target; }
    }
    if (first) first.focus();
  }
  async submit(e) {
    e.preventDefault();
    const f = this.form, btn = f.querySelector('button[type=submit]');
    const errors = this.check(f);
    this.show(errors);
    if (Object.keys(errors).length) return;
    const v = (n) => String(f.elements[n].value || '').trim();
    const body = {
      product_id: this.product || undefined, rating: +f.querySelector('input[name=rating]:checked').value,
      body: v('body'), name: v('name'), ...who(v('email')), testimonial_consent: f.elements.testimonial.checked,
    };
    // A product the server has not seen is created from the element's attributes.
    const pn = this.getAttribute('name');
    if (pn) Object.assign(body, { product_name: pn, product_url: this.getAttribute('url') || location.href.split('#')[0], product_image: this.getAttribute('image') || undefined, product_price: this.getAttribute('price') || undefined });
    if (v('title')) body.title = v('title');
    const token = this.getAttribute('token') || new URL(location.href).searchParams.get('rc_review');
    if (token) body.token = token;
    if (v('website')) body.website = v('website');
    btn.disabled = true;
    btn.textContent = this.t('sending');
    try {
      const pick = f.querySelector('rc-photo-picker');
      if (pick && pick.upload) body.photo_ids = await pick.upload();
      const res = await api('/reviews', body);
      this.done = res.status || 1;
      this.paint();
      this.emit('rcommerce:review-submitted', { product: this.product, rating: body.rating, review: res });
    } catch (err) {
      btn.disabled = false;
      btn.textContent = this.t('submit');
      const mapped = {};
      // The server's texts are English: the shopper reads the widget's own, in its language.
      for (const x of err.fields || []) {
        const name = String(x.field || '').split('.').pop();
        if (['rating', 'body', 'name', 'email', 'title'].includes(name)) mapped[name] = this.t(`e_${name}`);
      }
      if (!Object.keys(mapped).length) mapped.form = this.t(err.status === 429 ? 'eRate' : `e_${err.code}` in STR[this.L] ? `e_${err.code}` : 'eFail');
      this.show(mapped);
    }
  }
}
ReviewForm.css = `:host{min-height:30rem}
legend{font-weight:600;padding:0}
.rate{display:flex;flex-wrap:wrap;gap:.15em}
.star{margin:0;font-size:2em;line-height:1;cursor:pointer;color:var(--rc-star-empty,#c4c9cf);min-width:44px;min-height:44px;display:flex;align-items:center;justify-content:center}
.star.on{color:var(--rc-star,#b7791f)}
input.sr:focus-visible+label{outline:3px solid var(--rc-focus,#1a7f37);outline-offset:2px}
.two{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,12rem),1fr));gap:0 1rem}
.hp{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}
button[type=submit]{margin-top:1rem;width:100%}
.done{padding:1.5rem}`;

// ---- <rc-referral [order] [email]> ----
const withChannel = (url, ch) => { const u = new URL(url); u.searchParams.set('ch', ch); return u.href; };
const CHANNELS = [
  ['zalo', 'Zalo', (u) => `https://button-share.zalo.me/share_external?layout=1&color=blue&customize=false&shareType=0&d=${encodeURIComponent(btoa(JSON.stringify({ url: u })))}`],
  ['facebook', 'Facebook', (u) => `https://www.facebook.com/sharer/sharer.php?u=${encodeURIComponent(u)}`],
  ['messenger', 'Messenger', (u) => `fb-messenger://share/?link=${encodeURIComponent(u)}`],
  ['whatsapp', 'WhatsApp', (u, text) => `https://wa.me/?text=${encodeURIComponent(`${text} ${u}`)}`],
  ['sms', 'sms', (u, text) => `sms:?&body=${encodeURIComponent(`${text} ${u}`)}`],
  ['email', 'mail', (u, text, title) => `mailto:?subject=${encodeURIComponent(title)}&body=${encodeURIComponent(`${text} ${u}`)}`],
];
class Referral extends Widget {
  get stash() { return `rc_adv_${KEY}`; }
  async load() {
    this.me = ls.get(this.stash);
    const c = await config;
    this.offer = c.offer || null;
  }
  offerText() {
    const o = this.offer;
    if (!o) return null;
    const part = (kind, value) => (/percent/.test(kind) ? `${+value}%` : kind === 'points' ? `${+value} ${this.t('points')}` : money(+value, currency, this.L));
    return h('p', { class: 'muted offer', part: 'offer' }, this.t('offer', part(o.friend_reward_kind, o.friend_reward_value), part(o.advocate_reward_kind, o.advocate_reward_value)));
  }
  view() {
    const order = this.getAttribute('order');
    // A referred friend's own welcome gift (modules/offer.js), above the programme.
    const title = [referral() && h('rc-friend-offer', { inline: true, hidden: true }), h('h2', null, order ? this.t('orderTitle', order) : this.t('joinTitle'))];
    const me = this.me && safeUrl(this.me.referral_url) ? this.me : null;
    if (!me) {
      const id = nextId('j');
      const err = h('p', { class: 'err', id: `${id}e`, role: 'alert' });
      return h('form', {
        class: 'box', part: 'form', novalidate: true,
        onsubmit: (e) => this.join(e, err),
      }, title, this.offerText(),
      h('label', { for: `${id}m` }, this.t('yourEmail')),
      h('input', { id: `${id}m`, name: 'email', required: true, autocomplete: 'email', value: this.getAttribute('email') || '', 'aria-describedby': `${id}e`, part: 'input' }),
      h('label', { for: `${id}n` }, this.t('name')),
      h('input', { id: `${id}n`, name: 'name', type: 'text', autocomplete: 'name', maxlength: 100, part: 'input' }),
      err,
      h('button', { type: 'submit', part: 'button join' }, this.t('getLink')));
    }
    const link = me.referral_url, text = this.t('shareText');
    const status = h('p', { class: 'muted', role: 'status' });
    const linkId = nextId('l');
    const share = (ch) => () => this.emit('rcommerce:share', { channel: ch, referral_code: me.referral_code });
    const buttons = CHANNELS.map(([ch, label, make]) => {
      const href = make(withChannel(link, ch), text, this.t('joinTitle'));
      return h('a', {
        class: `btn ghost ch-${ch}`, part: `share-button share-${ch}`, href,
        target: /^https:/.test(href) ? '_blank' : null, rel: 'noopener noreferrer', onclick: share(ch),
      }, this.t(label));
    });
    if (navigator.share) {
      buttons.push(h('button', {
        class: 'ghost', part: 'share-button share-native',
        onclick: () => { share('native')(); navigator.share({ title: this.t('joinTitle'), text, url: withChannel(link, 'native') }).catch(() => {}); },
      }, this.t('shareMore')));
    }
    const copy = async () => {
      const url = withChannel(link, 'copy');
      try { await navigator.clipboard.writeText(url); status.textContent = this.t('copied'); } catch (e) { this.box.querySelector('input').select(); }
      share('copy')();
    };
    const qr = `${link.split(/[?#]/)[0]}/qr.svg`;
    return h('div', { class: 'box joined', part: 'joined' }, title, this.offerText(),
      h('div', { class: 'grid' },
        h('div', null,
          h('label', { for: linkId }, this.t('yourLink')),
          h('div', { class: 'row' }, h('input', { id: linkId, readonly: true, value: link, part: 'link', class: 'link', onfocus: (e) => e.target.select() }),
            h('button', { part: 'button copy', onclick: copy }, this.t('copy'))),
          status,
          h('p', null, `${this.t('yourCode')}: `, h('strong', { class: 'code', part: 'code' }, String(me.referral_code || ''))),
          h('p', { class: 'share-title' }, this.t('shareOn')),
          h('div', { class: 'row share', part: 'share' }, buttons)),
        h('img', { class: 'qr', part: 'qr', src: qr, alt: this.t('qr'), width: '160', height: '160' })),
      h('button', { class: 'ghost small', onclick: () => { ls.del(this.stash); this.me = null; this.paint(); } }, this.t('notYou')));
  }
  async join(e, err) {
    e.preventDefault();
    const f = e.target, btn = f.querySelector('button');
    const m = f.elements.email, email = m.value.trim(), name = f.elements.name.value.trim();
    err.textContent = '';
    m.removeAttribute('aria-invalid');
    if (!EMAIL.test(email)) {
      err.textContent = this.t('eEmail');
      m.setAttribute('aria-invalid', 'true');
      m.focus();
      return;
    }
    btn.disabled = true;
    try {
      const body = who(email);
      if (name) body.name = name;
      const d = await api('/advocates', body);
      this.me = { referral_code: d.referral_code, referral_url: d.referral_url };
      ls.set(this.stash, this.me);
      this.paint();
      const input = this.box.querySelector('input.link');
      if (input) input.focus();
      this.emit('rcommerce:joined', { ...this.me });
    } catch (x) {
      btn.disabled = false;
      err.textContent = x.status === 429 ? this.t('eRate') : x.status === 422 || x.status === 400 ? x.message : this.t('eFail');
    }
  }
}
Referral.css = `:host{min-height:14rem}
.grid{display:grid;grid-template-columns:1fr auto;gap:1rem;align-items:start}
@media (max-width:480px){.grid{grid-template-columns:1fr}.qr{justify-self:center}}
.grid .row input{flex:1 1 12rem;min-width:0}
.code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:1.2em;letter-spacing:.05em}
.share .btn{flex:1 1 8rem}
.qr{background:#fff;border:1px solid var(--b);border-radius:var(--r);image-rendering:pixelated}
.offer{margin-bottom:.5em}
.small{min-height:32px;margin-top:.75rem;font-size:.9em}
button[type=submit]{margin-top:1rem}`;

// ---- widgets in modules ----
// A module is embeds/modules/NAME.js, an ES module fetched (once, from a content-hashed URL
// cached for a year) the first time one of its elements is on the page; pages without its
// elements never load it. Its first lines name its elements and the height each reserves
// while it loads (`// @element rc-testimonials 12rem`); the server lists them here:
// tag -> [file, reserved height]. To add a widget, add a module file: nothing else changes.
// It looks like this:
//   export default (rc) => ({            // rc: what the core shares (h, get, api, Widget, ...)
//     strings: { vi: {...}, en: {...} },   // added to the texts this.t(key, ...args) reads
//     elements: { 'rc-thing': {
//       css: `...`,                        // styles inside the element's shadow root
//       async load() { ... },              // this = the element: fetch its data
//       view() { return nodes; },          // this = the element: render what load() kept
//     } },
//   });
const MODULES = __RC_MODULES__;
const RC = { W, D, API, KEY, VERSION, h, api, get, config, starBar, fmtAvg, safeUrl, money, nextId, Widget };
const loaded = {};
const useModule = (file) => loaded[file] || (loaded[file] = import(`${API}/m/${file}`)
  .then((m) => { const mod = m.default(RC); addStrings(mod.strings); return mod; })
  .catch((e) => { delete loaded[file]; throw e; }));
class Lazy extends Widget {
  // Fetched as the element arrives, beside the config every widget waits for.
  setup() { useModule(MODULES[this.localName][0]).catch(() => {}); }
  async load() {
    const def = (await useModule(MODULES[this.localName][0])).elements[this.localName];
    if (!this.def) { this.def = def; this.shadowRoot.append(h('style', null, def.css || '')); }
    return def.load && def.load.call(this);
  }
  // Painted early (setLang while the module is still on its way): nothing yet.
  view() { return this.def ? this.def.view.call(this) : []; }
}

const TAGS = { 'rc-stars': Stars, 'rc-reviews': Reviews, 'rc-review-form': ReviewForm, 'rc-referral': Referral };
for (const tag in MODULES) {
  TAGS[tag] = class extends Lazy {};
  TAGS[tag].css = `:host{min-height:${MODULES[tag][1] || 0}}`;
}
W.rcommerce = Object.assign(W.rcommerce || {}, {
  version: VERSION,
  referral,
  clearReferral() { ls.del(REF); cookie(REF, '', 0); },
  setLang(l) {
    forcedLang = LOCALE[lang2(l)] ? lang2(l) : null;
    D.querySelectorAll(Object.keys(TAGS).join(',')).forEach((el) => el.started && el.paint());
  },
  formatMoney: (n, cur, l) => money(n, cur || currency, l || 'vi'),
});
for (const tag in TAGS) if (!customElements.get(tag)) customElements.define(tag, TAGS[tag]);
// A friend who came through a referral link sees their welcome gift on every page: a banner
// (modules/offer.js, fetched only then) unless the page places its own <rc-friend-offer>.
const banner = () => referral() && !D.querySelector('rc-friend-offer') && D.body.append(h('rc-friend-offer', { hidden: true }));
if (D.body) banner(); else D.addEventListener('DOMContentLoaded', banner);
W.dispatchEvent(new CustomEvent('rcommerce:ready', { detail: { version: VERSION } }));
})();
