// @element rc-store-reviews 30rem
// @element rc-store-badge 1.6em
// Reviews of the store itself (not a product). <rc-store-reviews>: the list and the form
// (the core's <rc-reviews> and <rc-review-form> without a product). <rc-store-badge
// [href] [floating]>: the store's average and count, for every page (bottom-left when floating).
export default ({ h, get, starBar, fmtAvg, safeUrl }) => ({
  strings: {
    en: { storeReviews: 'What customers say about {0}', storeBadge: '{0} out of 5 from {1} reviews of {2}' },
    vi: { storeReviews: 'Khách hàng nói gì về {0}', storeBadge: '{0} trên 5 từ {1} đánh giá về {2}' },
  },
  elements: {
    'rc-store-reviews': {
      css: ':host{min-height:30rem}h2{margin:0 0 .75rem}rc-reviews{margin-bottom:1rem}',
      async load() { this.store = (await get('/config')).name; },
      view() {
        const lang = this.getAttribute('lang');
        return [h('h2', null, this.t('storeReviews', this.store)), h('rc-reviews', { lang }), h('rc-review-form', { lang })];
      },
    },
    'rc-store-badge': {
      css: `:host{display:inline-block;min-height:1.6em}:host([floating]){position:fixed;left:1rem;bottom:1rem;z-index:2147483000}
a{display:inline-flex;align-items:center;gap:.4em;text-decoration:none;color:inherit;background:var(--bg);border:1px solid var(--b);border-radius:999px;padding:.3em .8em;box-shadow:0 2px 8px rgba(0,0,0,.15)}
.avg{font-weight:700}`,
      async load() {
        this.s = await get('/store/summary');
        this.store = (await get('/config')).name;
      },
      view() {
        const s = this.s || {}, n = s.count || 0;
        this.toggleAttribute('data-empty', !n);
        if (!n) return [];
        const avg = fmtAvg(s.average, this.L);
        // href: the shop's own page of store reviews, relative to the shop's page.
        let href = '#';
        try { href = safeUrl(new URL(this.getAttribute('href') || '#', location.href).href) || '#'; } catch (e) { /* not a URL */ }
        return h('a', { href, part: 'badge link', 'aria-label': this.t('storeBadge', avg, n, this.store) },
          starBar(s.average, ''), h('span', { class: 'avg', part: 'average' }, avg),
          h('span', { class: 'muted', part: 'count' }, `(${this.t('nReviews', n)})`));
      },
    },
  },
});
