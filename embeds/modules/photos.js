// @element rc-photo-picker 3rem
// <rc-photo-picker>, which <rc-review-form> puts under its photo field once photos are chosen
// (pages whose shoppers pick none never fetch this module): up to five photos, each shrunk in
// the browser when it is over the upload limit or very large (a phone's 12 MB photo becomes a
// JPEG of at most 2048 px, what the server keeps anyway), previewed, and uploaded when the form
// is sent. The form adds files to this.queue and calls this.add(); on sending it calls
// this.upload(), which answers the photo ids.
// One video too (MP4 or WebM, at most 20 MB and 60 s, sent as it is): once loaded, the picker
// widens the photo field's accept to take one; its id goes among the photo ids, which the
// server tells apart (the core script has no room for another field).
export default ({ h, api }) => {
  const MAX = 5, LIMIT = 5e6, SIDE = 2048, VLIMIT = 2e7, VSECS = 60;
  const length = (url) => new Promise((done) => {
    const v = Object.assign(document.createElement('video'), { preload: 'metadata', muted: true, src: url });
    v.onloadedmetadata = () => done(v.duration);
    v.onerror = () => done(NaN);
  });
  const shrink = async (file) => {
    if (file.size <= LIMIT / 2 && /^image\/(jpeg|png|webp)$/.test(file.type)) return file;
    const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    const k = Math.min(1, SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = Object.assign(document.createElement('canvas'), { width: Math.round(bitmap.width * k), height: Math.round(bitmap.height * k) });
    canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    for (const quality of [0.85, 0.7, 0.5]) {
      const blob = await new Promise((done) => canvas.toBlob(done, 'image/jpeg', quality));
      if (blob && blob.size <= LIMIT) return blob;
    }
    throw new Error('too large');
  };
  return {
    strings: {
      en: { photos: 'Up to {0} photos and one video', remove: 'Remove photo {0}', ePhoto: 'Choose JPEG, PNG or WebP images.', eVideo: 'One MP4 or WebM video, at most 60 seconds and 20 MB.', preparing: 'Preparing photos…' },
      vi: { photos: 'Tối đa {0} ảnh và một video', remove: 'Xóa ảnh {0}', ePhoto: 'Chọn ảnh JPEG, PNG hoặc WebP.', eVideo: 'Một video MP4 hoặc WebM, tối đa 60 giây và 20 MB.', preparing: 'Đang xử lý ảnh…' },
    },
    elements: {
      'rc-photo-picker': {
        css: `:host{min-height:3rem}.pics{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0}
.pics li{position:relative}.pics img,.pics video{width:72px;height:72px;object-fit:cover;border-radius:6px;display:block}
.pics button{position:absolute;top:-8px;right:-8px;min-height:28px;width:28px;padding:0;border-radius:50%;background:var(--bg)}
`,
        load() {
          this.items = this.items || [];
          const field = this.previousElementSibling;
          if (field && field.accept === 'image/*') field.accept += ',video/mp4,video/webm';
          this.add = () => this.def.add.call(this);
          this.add();
          this.upload = async () => {
            const ids = [];
            for (const item of this.items) {
              item.id = item.id || (await api(item.video ? '/videos' : '/photos', item.blob, item.blob.type || 'image/jpeg')).id;
              ids.push(item.id);
            }
            return ids;
          };
        },
        async add() {
          const files = (this.queue || []).splice(0);
          if (!files.length) return;
          this.note = this.t('preparing');
          if (this.painted) this.paint();
          this.note = '';
          for (const file of files) {
            const video = /^video\//.test(file.type);
            if (video) {
              const url = URL.createObjectURL(file);
              // A length the browser cannot read is left to the server, which reads the header.
              if (/^video\/(mp4|webm)$/.test(file.type) && file.size <= VLIMIT && !(await length(url) > VSECS) && !this.items.some((i) => i.video)) this.items.push({ blob: file, url, video: 1 });
              else { URL.revokeObjectURL(url); this.note = this.t('eVideo'); }
              continue;
            }
            if (this.items.filter((i) => !i.video).length >= MAX) continue;
            try {
              if (!/^image\//.test(file.type)) throw new Error('type');
              const blob = await shrink(file);
              this.items.push({ blob, url: URL.createObjectURL(blob) });
            } catch (e) { this.note = this.t('ePhoto'); }
          }
          this.paint();
        },
        view() {
          const n = this.items.length;
          return [
            h('p', { class: 'muted' }, this.t('photos', MAX)),
            n ? h('ul', { class: 'pics', part: 'previews' }, this.items.map((item, i) => h('li', null,
              item.video ? h('video', { src: item.url, muted: true, preload: 'metadata', part: 'preview' }) : h('img', { src: item.url, alt: '', part: 'preview' }),
              h('button', { type: 'button', class: 'ghost', 'aria-label': this.t('remove', i + 1), onclick: () => { URL.revokeObjectURL(item.url); this.items.splice(i, 1); this.paint(); } }, '×')))) : null,
            h('p', { class: 'err', role: 'status' }, this.note || ''),
          ];
        },
      },
    },
  };
};
