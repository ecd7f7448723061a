// @element rc-leaderboard
// @element rc-points
// <rc-leaderboard period="30d|all" limit="10">: the store's top advocates by referred buyers,
// each a given name and a family initial ("Mai N."), with their tier. Names arrive as text and
// stay text. A module of embed.js (the advocates' standing and points), fetched only by pages
// that show one of its elements.
// <rc-points>: an advocate spends points on the store's catalogue from the shop's page. A typed
// e-mail proves nothing, so the widget asks for a link sent to it; the link brings the advocate
// back to this page with a signed token (rc_points), taken out of the address and kept for this
// tab only, and sent as Authorization: Bearer. Each spend has its own Idempotency-Key: a
// retried or double-clicked spend is spent once.
export default ({ h, get, W, API, KEY, nextId }) => {
  const P = 'rc_points', S = `rc_pts_${KEY}`;
  const tab = (v) => { try { if (v === undefined) return W.sessionStorage.getItem(S); if (v) W.sessionStorage.setItem(S, v); else W.sessionStorage.removeItem(S); } catch (e) { /* storage blocked */ } return v || null; };
  let held = tab();
  const u = new URL(W.location.href), sent = u.searchParams.get(P);
  if (sent && /^[\w.~-]{8,1024}$/.test(sent)) {
    held = tab(sent);
    u.searchParams.delete(P);
    W.history.replaceState(W.history.state, '', u.href);
  }
  const call = async (path, body, key) => {
    const headers = held ? { Authorization: `Bearer ${held}` } : {};
    if (key) headers['Idempotency-Key'] = key;
    if (body) headers['Content-Type'] = 'application/json';
    const res = await fetch(`${API}/${encodeURIComponent(KEY)}/points${path}`, body ? { method: 'POST', headers, body: JSON.stringify(body) } : { headers });
    let d = null;
    try { d = await res.json(); } catch (e) { /* empty body */ }
    if (!res.ok) throw Object.assign(new Error(((d && d.error) || {}).message || res.status), { status: res.status });
    return d;
  };
  const newKey = () => (W.crypto.randomUUID ? W.crypto.randomUUID() : `${Date.now()}-${Math.random()}`);
  return {
    strings: {
      en: { board: 'Top advocates', board30d: 'Top advocates, last 30 days', someone: 'An advocate', buyers: '{0} referred', rank: 'Rank {0}', ptsTitle: 'Spend your points', ptsEmail: 'Your e-mail', ptsAsk: 'Enter the e-mail you joined with: we will send you a link to spend your points here.', ptsSend: 'Send me a link', ptsSent: 'If this e-mail is in the programme, a link is on its way. Open it on this device.', ptsHave: 'You have {0} points', ptsCost: '{0} points', ptsRedeem: 'Redeem', ptsGot: 'Your coupon code: {0}', ptsShort: 'Not enough points.', ptsGone: 'This link has expired: ask for a new one.', ptsNone: 'Nothing to spend points on yet.' },
      vi: { board: 'Người giới thiệu hàng đầu', board30d: 'Người giới thiệu hàng đầu, 30 ngày qua', someone: 'Một người giới thiệu', buyers: '{0} người mua', rank: 'Hạng {0}', ptsTitle: 'Đổi điểm thưởng', ptsEmail: 'E-mail của bạn', ptsAsk: 'Nhập e-mail bạn dùng khi tham gia, chúng tôi sẽ gửi liên kết để đổi điểm ngay tại đây.', ptsSend: 'Gửi liên kết cho tôi', ptsSent: 'Nếu e-mail này đã tham gia chương trình, liên kết đang được gửi. Hãy mở nó trên thiết bị này.', ptsHave: 'Bạn có {0} điểm', ptsCost: '{0} điểm', ptsRedeem: 'Đổi', ptsGot: 'Mã giảm giá của bạn: {0}', ptsShort: 'Không đủ điểm.', ptsGone: 'Liên kết đã hết hạn, hãy yêu cầu liên kết mới.', ptsNone: 'Chưa có phần thưởng nào để đổi.' },
    },
    elements: {
      'rc-leaderboard': {
        css: `h2{margin:0 0 .5rem;font-size:1.1em}
ol{list-style:none;margin:0;padding:0}li{display:flex;gap:.6em;align-items:baseline;padding:.35em 0;border-bottom:1px solid var(--b)}
.n{font-weight:700;min-width:1.6em}.who{flex:1;overflow-wrap:anywhere}`,
        async load() {
          const period = this.getAttribute('period') === 'all' ? 'all' : '30d';
          const limit = Math.min(50, Math.max(1, parseInt(this.getAttribute('limit'), 10) || 10));
          this.period = period;
          this.items = (await get(`/leaderboard?period=${period}&limit=${limit}`)).advocates || [];
        },
        view() {
          const n = this.items.length;
          this.toggleAttribute('data-empty', !n);
          if (!n) return [];
          return h('section', { part: 'leaderboard' },
            h('h2', { part: 'title' }, this.t(this.period === 'all' ? 'board' : 'board30d')),
            h('ol', { part: 'list' }, this.items.map((x) => h('li', { part: 'advocate' },
              h('span', { class: 'n', 'aria-label': this.t('rank', x.rank) }, `${+x.rank || ''}.`),
              h('span', { class: 'who', part: 'name' }, String(x.name || this.t('someone')),
                x.tier ? h('span', { class: 'muted', part: 'tier' }, ` · ${String(x.tier)}`) : null),
              h('span', { class: 'muted', part: 'count' }, this.t('buyers', +x.referred_buyers || 0))))));
        },
      },
      'rc-points': {
        css: `h2{margin:0 0 .5rem;font-size:1.1em}ul{list-style:none;margin:0;padding:0}
li{display:flex;flex-wrap:wrap;gap:.5em;align-items:center;padding:.4em 0;border-bottom:1px solid var(--b)}
.name{flex:1 1 10rem}.code{font-family:ui-monospace,Menlo,Consolas,monospace;letter-spacing:.05em}
form{display:grid;gap:.5rem}`,
        async load() {
          this.me = null;
          if (!held) return;
          try { this.me = await call(''); } catch (x) {
            if (x.status >= 500 || !x.status) throw x;
            held = tab(null); this.msg = this.t('ptsGone');
          }
        },
        view() {
          const note = h('p', { class: 'err', role: 'alert', part: 'message' }, this.msg || '');
          if (!this.me) {
            if (this.asked) return h('p', { class: 'box', role: 'status', part: 'sent' }, this.t('ptsSent'));
            const id = nextId('p');
            return h('form', { class: 'box', part: 'form', novalidate: true, onsubmit: (e) => this.def.ask.call(this, e) },
              h('h2', null, this.t('ptsTitle')), h('p', { class: 'muted' }, this.t('ptsAsk')),
              h('label', { for: id }, this.t('ptsEmail')),
              h('input', { id, name: 'email', type: 'email', required: true, autocomplete: 'email', part: 'input' }),
              note, h('button', { type: 'submit', part: 'button send' }, this.t('ptsSend')));
          }
          const me = this.me, items = me.items || [];
          return h('div', { class: 'box', part: 'points' },
            h('h2', null, this.t('ptsHave', +me.points)),
            this.code ? h('p', { role: 'status', part: 'coupon' }, this.t('ptsGot', ''), h('strong', { class: 'code', part: 'coupon-code' }, String(this.code))) : null,
            note,
            items.length ? h('ul', { part: 'catalogue' }, items.map((i) => h('li', { part: 'item' },
              h('span', { class: 'name' }, String(i.name)),
              h('span', { class: 'muted' }, this.t('ptsCost', +i.points_cost)),
              h('button', { part: 'button redeem', disabled: !i.affordable || this.busy, onclick: () => this.def.spend.call(this, i) }, this.t('ptsRedeem'))))) : h('p', { class: 'muted' }, this.t('ptsNone')));
        },
        async ask(e) {
          e.preventDefault();
          const email = e.target.elements.email.value.trim();
          if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) { this.msg = this.t('eEmail'); this.paint(); return; }
          e.target.querySelector('button').disabled = true;
          try {
            await call('/link', { email, page: W.location.href });
            this.asked = 1; this.msg = '';
          } catch (x) { this.msg = x.status === 429 ? this.t('eRate') : this.t('eFail'); }
          this.paint();
        },
        async spend(item) {
          this.busy = 1; this.msg = ''; this.paint();
          // One key per attempt, kept while it is unanswered: a retry of it is spent once.
          const key = this.pending || (this.pending = newKey());
          try {
            const r = await call('/redeem', { item_id: item.id }, key);
            this.pending = null;
            this.code = r.coupon_code;
            this.me = await call('');
            this.emit('rcommerce:redeemed', { coupon_code: r.coupon_code, item_id: item.id });
          } catch (x) {
            if (x.status) this.pending = null;
            if (x.status === 400 || x.status === 401 || x.status === 403) { held = tab(null); this.me = null; this.msg = this.t('ptsGone'); } else this.msg = x.status === 409 ? this.t('ptsShort') : x.status === 429 ? this.t('eRate') : this.t('eFail');
          }
          this.busy = 0; this.paint();
        },
      },
    },
  };
};
