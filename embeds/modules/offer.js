// @element rc-friend-offer
// <rc-friend-offer [inline]>: a referred friend's welcome gift ("Minh tặng bạn 10% cho đơn đầu
// tiên — mã BANMINH"), its coupon code copied in one tap. A module of embed.js: the core adds one
// to the page, as a dismissible banner, only for a visitor who arrived through a referral link
// (an rc_ref is kept), and one inside <rc-referral> (inline); nothing else waits for it.
export default ({ h, get, W, money }) => ({
  elements: {
    'rc-friend-offer': {
      css: `:host{position:fixed;left:0;right:0;bottom:0;z-index:2147483000;padding:.5rem;min-height:0}
:host([inline]){position:static;padding:0;margin:.25rem 0 .75rem}
.bar{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem .75rem;background:var(--rc-offer-bg,#fff8e1);border:1px solid var(--rc-offer-border,#f0c36d);border-radius:var(--r);padding:.6rem .9rem;box-shadow:0 2px 12px rgba(0,0,0,.12);max-width:48rem;margin:0 auto}
:host([inline]) .bar{box-shadow:none;max-width:none}
.until{font-weight:400}
.text{flex:1 1 14rem;margin:0;font-weight:600}
.code{font-family:ui-monospace,Menlo,Consolas,monospace;letter-spacing:.05em}
.x{min-width:44px;padding:0;font-size:1.4em;line-height:1}`,
      async load() {
        const token = W.rcommerce.referral();
        // A stale or foreign rc_ref has no offer: nothing is shown, and nothing fails.
        this.o = token ? await get(`/referral-offer?rc_ref=${encodeURIComponent(token)}`).catch(() => null) : null;
        this.token = token;
      },
      view() {
        const o = this.o, key = 'rc_offer_closed';
        let closed = null;
        try { closed = localStorage.getItem(key); } catch (e) { /* storage blocked */ }
        const inline = this.hasAttribute('inline');
        this.hidden = !o || (!inline && closed === this.token);
        if (this.hidden) return [];
        const gift = /percent/.test(o.kind) ? `${+o.value}%` : money(+o.value, undefined, this.L);
        const status = h('span', { class: 'muted', role: 'status' });
        const copy = async () => {
          try { await W.navigator.clipboard.writeText(o.coupon_code); status.textContent = this.t('codeCopied'); } catch (e) { W.getSelection().selectAllChildren(code); }
          this.emit('rcommerce:offer-copied', { coupon_code: o.coupon_code });
        };
        const code = h('strong', { class: 'code', part: 'offer-code' }, String(o.coupon_code));
        const until = o.expires_at && h('span', { class: 'muted until' }, ` ${this.t('until', new Intl.DateTimeFormat(this.L, { dateStyle: 'medium' }).format(new Date(o.expires_at)))}`);
        const name = String(o.advocate_name || this.t('aFriend'));
        const [before, after] = this.t('friendOffer', name, gift, '\n').split('\n');
        return h('div', { class: 'bar', part: 'offer', role: inline ? null : 'region', 'aria-label': this.t('friendOffer', name, gift, o.coupon_code) },
          h('p', { class: 'text' }, before, code, after, until),
          h('button', { part: 'button copy-code', onclick: copy }, this.t('copyCode')),
          status,
          inline ? null : h('button', {
            class: 'ghost x', part: 'button close', 'aria-label': this.t('close'),
            onclick: () => { try { localStorage.setItem(key, this.token); } catch (e) { /* storage blocked */ } this.hidden = true; },
          }, '×'));
      },
    },
  },
});
