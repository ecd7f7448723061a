// @element rc-lightbox
// <rc-lightbox>: a review's photos, large, in a dialog on the page (not a new tab). The core
// appends one when a shopper clicks a photo, with `photos` (URLs), `index` and `alt` set;
// Escape, the close button or a click outside closes it, and it removes itself. A review's
// video comes as its last photo, a play tile ending in /poster.svg: the lightbox plays the
// video (the tile's URL without that ending), loading nothing until the shopper presses play.
export default ({ h }) => ({
  strings: {
    en: { close: 'Close', prev: 'Previous', next: 'Next', slide: '{0} of {1}' },
    vi: { close: 'Đóng', prev: 'Trước', next: 'Tiếp', slide: '{0} / {1}' },
  },
  elements: {
    'rc-lightbox': {
      css: `dialog{border:0;padding:0;background:transparent;max-width:96vw;max-height:96vh;overflow:visible}
dialog::backdrop{background:rgba(0,0,0,.8)}
img,video{display:block;max-width:96vw;max-height:86vh;border-radius:6px;background:#222}
.bar{justify-content:center;margin-top:.5rem;color:#fff}
.bar button{background:rgba(0,0,0,.6);border-color:#fff}`,
      view() {
        const list = this.photos || [], n = list.length, i = ((this.index || 0) % n + n) % n;
        const go = (d) => () => { this.index = i + d; this.paint(); };
        const box = h('dialog', {
          part: 'lightbox', 'aria-label': this.alt || '',
          onclose: () => this.remove(),
          onclick: (e) => { if (e.target === box) box.close(); },
        },
        /\/poster\.svg$/.test(list[i])
          ? h('video', { src: list[i].slice(0, -11), poster: list[i], controls: true, preload: 'none', part: 'video' })
          : h('img', { src: list[i], alt: this.alt || '', part: 'photo' }),
        h('div', { class: 'row bar' },
          n > 1 ? h('button', { part: 'button prev', 'aria-label': this.t('prev'), onclick: go(-1) }, '‹') : null,
          n > 1 ? h('span', { role: 'status' }, this.t('slide', i + 1, n)) : null,
          n > 1 ? h('button', { part: 'button next', 'aria-label': this.t('next'), onclick: go(1) }, '›') : null,
          h('button', { part: 'button close', autofocus: true, onclick: () => box.close() }, this.t('close'))));
        queueMicrotask(() => box.isConnected && !box.open && box.showModal());
        return box;
      },
    },
  },
});
