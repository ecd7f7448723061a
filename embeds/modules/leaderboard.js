// @element rc-leaderboard
// <rc-leaderboard period="30d|all" limit="10">: the store's top advocates by referred buyers,
// each a given name and a family initial ("Mai N."), with their tier. A module of embed.js:
// fetched only by pages that show it. Names arrive as text and stay text.
export default ({ h, get }) => ({
  strings: {
    en: { board: 'Top advocates', board30d: 'Top advocates, last 30 days', someone: 'An advocate', buyers: '{0} referred', rank: 'Rank {0}' },
    vi: { board: 'Người giới thiệu hàng đầu', board30d: 'Người giới thiệu hàng đầu, 30 ngày qua', someone: 'Một người giới thiệu', buyers: '{0} người mua', rank: 'Hạng {0}' },
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
  },
});
