// @element rc-testimonials 12rem
// <rc-testimonials layout="carousel|wall">: the store's published testimonials. A module of
// embed.js (see "widgets in modules" there): fetched only by pages that show testimonials.
export default ({ h, get, starBar }) => ({
  strings: {
    en: { testimonials: 'What customers say', prev: 'Previous', next: 'Next', slide: '{0} of {1}' },
    vi: { testimonials: 'Khách hàng nói gì', prev: 'Trước', next: 'Tiếp', slide: '{0} / {1}' },
  },
  elements: {
    'rc-testimonials': {
      css: `:host{min-height:12rem}:host([data-empty]){min-height:0}
.card{background:var(--bg);border:1px solid var(--b);border-radius:var(--r);padding:1rem}
blockquote{white-space:pre-line;overflow-wrap:anywhere;margin:.4em 0}
blockquote::before{content:"“"}blockquote::after{content:"”"}
figcaption{overflow-wrap:anywhere}
.track{display:grid;grid-auto-flow:column;grid-auto-columns:min(100%,20rem);gap:16px;overflow-x:auto;scroll-snap-type:x mandatory;padding-bottom:.5rem;overscroll-behavior-x:contain}
.track>li{scroll-snap-align:start}
.nav{justify-content:flex-end;margin-top:.5rem}
.wall{columns:16rem;column-gap:1rem}.wall>li{break-inside:avoid;margin-bottom:1rem}`,
      async load() { this.items = (await get('/testimonials')).testimonials || []; },
      view() {
        const wall = this.getAttribute('layout') === 'wall', n = this.items.length;
        this.toggleAttribute('data-empty', !n);
        if (!n) return [];
        const items = this.items.map((x, i) => h('li', wall ? { class: 'card', part: 'testimonial' } : {
          class: 'card', part: 'testimonial', role: 'group', 'aria-roledescription': 'slide', 'aria-label': this.t('slide', i + 1, n),
        }, h('figure', null,
          x.rating ? starBar(x.rating, this.t('rated', x.rating)) : null,
          h('blockquote', { part: 'testimonial-body' }, String(x.body || '')),
          h('figcaption', { part: 'testimonial-name' }, h('strong', null, String(x.author || '')),
            x.role || x.company ? h('span', { class: 'muted' }, ` · ${[x.role, x.company].filter(Boolean).map(String).join(', ')}`) : null))));
        const list = h('ul', { class: wall ? 'wall' : 'track', part: 'list', tabindex: wall ? null : '0', 'aria-label': this.t('testimonials') }, items);
        if (wall) return list;
        const step = (dir) => () => list.scrollBy({ left: dir * (list.firstChild.offsetWidth + 16), behavior: 'smooth' });
        return h('section', { 'aria-roledescription': 'carousel', 'aria-label': this.t('testimonials'), class: 'carousel' }, list,
          h('div', { class: 'row nav' },
            h('button', { class: 'ghost', part: 'button prev', 'aria-label': this.t('prev'), onclick: step(-1) }, '‹'),
            h('button', { class: 'ghost', part: 'button next', 'aria-label': this.t('next'), onclick: step(1) }, '›')));
      },
    },
  },
});
