// @element rc-questions 8rem
// @element rc-highlights
// <rc-questions product="SKU">: a product's questions and answers, a search that shows the
// matching reviews and answers first, and the form to ask. <rc-highlights product="SKU">:
// "What buyers say", per aspect the reviews that praise and complain, with one quote (shown
// once the product has enough scored reviews; nothing before). A module of embed.js (see "widgets
// in modules" there): fetched only by pages that show questions. Shoppers' text is set as text.
export default ({ API, KEY, h, api, get, starBar, nextId }) => {
  const vid = (v) => { try { if (v) localStorage.setItem('rc_vid', JSON.stringify(v)); } catch (e) { /* blocked */ } };
  const path = (el) => `/products/${encodeURIComponent(el.product)}/questions`;
  // After asking: past the browser's cache (revalidated by ETag), so the question shows.
  // Where the answer is announced: an e-mail, or else a phone (by Zalo or SMS).
  const contact = (c) => (c.includes('@') ? { email: c } : c ? { phone: c } : {});
  const fresh = (el) => fetch(`${API}/${encodeURIComponent(KEY)}${path(el)}`, { cache: 'no-cache' }).then((r) => r.json());
  return {
    strings: {
      en: { says: 'What buyers say', praise: '{0} praise', complain: '{0} complain', delivery: 'Delivery', quality: 'Quality', price: 'Price', service: 'Service', packaging: 'Packaging', matches_description: 'As described', qa: 'Questions & answers', search: 'Search or ask a question', fromReviews: 'From reviews', none: 'No questions yet.', noMatch: 'Nothing found. Ask the shop and its buyers:', ask: 'Ask', yourName: 'Your name', qEmail: 'E-mail or phone for the answer (optional, never published)', asked: 'Thank you! Your question is published.', held: 'Thank you! The shop looks at your question before it is published.', shop: 'Shop', buyer: 'Verified buyer', helpfulA: 'Helpful ({0})', askErr: 'Please check your question and name.' },
      vi: { says: 'Khách hàng nói gì', praise: '{0} khen', complain: '{0} chê', delivery: 'Giao hàng', quality: 'Chất lượng', price: 'Giá cả', service: 'Phục vụ', packaging: 'Đóng gói', matches_description: 'Đúng mô tả', qa: 'Hỏi đáp', search: 'Tìm hoặc đặt câu hỏi', fromReviews: 'Từ các đánh giá', none: 'Chưa có câu hỏi nào.', noMatch: 'Chưa tìm thấy. Hỏi cửa hàng và người đã mua:', ask: 'Gửi câu hỏi', yourName: 'Tên của bạn', qEmail: 'E-mail hoặc số điện thoại nhận câu trả lời (không bắt buộc, không công khai)', asked: 'Cảm ơn bạn! Câu hỏi đã được đăng.', held: 'Cảm ơn bạn! Cửa hàng sẽ xem câu hỏi trước khi đăng.', shop: 'Cửa hàng', buyer: 'Người mua đã xác minh', helpfulA: 'Hữu ích ({0})', askErr: 'Vui lòng kiểm tra câu hỏi và tên.' },
    },
    elements: {
      'rc-highlights': {
        css: 'ul{list-style:none;margin:0;padding:0}li{margin:.5em 0}blockquote{margin:.2em 0 0 1em;white-space:pre-line;overflow-wrap:anywhere}',
        async load() { this.d = await get(`/products/${encodeURIComponent(this.product)}/highlights`); },
        view() {
          const rows = this.d.aspects || [];
          this.hidden = !rows.length;
          return rows.length ? h('section', { class: 'box', part: 'highlights' }, h('h2', null, this.t('says')), h('ul', null, rows.map((a) => h('li', { part: 'aspect' },
            h('strong', null, this.t(String(a.aspect))), ': ', this.t('praise', +a.positive || 0), ' · ', this.t('complain', +a.negative || 0),
            a.quote ? h('blockquote', { part: 'quote' }, `“${String(a.quote.text || '')}” — ${String(a.quote.author || '')}`) : null)))) : [];
        },
      },
      'rc-questions': {
        css: `:host{min-height:8rem}
ul{list-style:none;margin:0;padding:0}
.q{border-top:1px solid var(--b);padding:.75em 0}
.qb{font-weight:600;white-space:pre-line;overflow-wrap:anywhere;margin:0 0 .3em}
.a{margin:.4em 0 0 1em;padding-left:.75em;border-left:3px solid var(--b);white-space:pre-line;overflow-wrap:anywhere}
.a.shop{border-color:var(--a)}
.badge{margin-right:.4em}
.hp{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}
form{display:grid;gap:.5em;margin:.75em 0}`,
        async load() { this.d = await get(path(this)); },
        view() {
          const id = nextId('q');
          const box = h('input', { type: 'search', id, part: 'search', maxlength: '200', placeholder: this.t('search'), 'aria-label': this.t('search') });
          const found = h('div', { part: 'matches', 'aria-live': 'polite' });
          const list = h('div', { part: 'list' });
          const name = h('input', { name: 'name', maxlength: '100', required: true, autocomplete: 'name', 'aria-label': this.t('yourName'), placeholder: this.t('yourName') });
          const email = h('input', { name: 'email', type: 'text', maxlength: '320', autocomplete: 'email', 'aria-label': this.t('qEmail'), placeholder: this.t('qEmail') });
          const trap = h('input', { name: 'website', tabindex: '-1', autocomplete: 'off' });
          const note = h('p', { role: 'status', part: 'status' });
          const questions = (qs) => h('ul', null, qs.map((q) => h('li', { class: 'q', part: 'question' },
            h('p', { class: 'qb' }, String(q.body || '')),
            h('span', { class: 'muted' }, String(q.author || '')),
            (q.answers || []).map((a) => {
              const up = h('button', { class: 'ghost small', part: 'button helpful', type: 'button' }, this.t('helpfulA', +a.helpful || 0));
              up.onclick = async () => {
                up.disabled = true;
                try { const d = await api(`/answers/${+a.id}/votes`, { helpful: true }); vid(d.visitor); up.textContent = this.t('helpfulA', +d.helpful || 0); } catch (e) { up.disabled = false; }
              };
              const shop = a.by === 'shop';
              return h('div', { class: `a${shop ? ' shop' : ''}`, part: 'answer' },
                h('span', { class: 'badge', part: 'mark' }, this.t(shop ? 'shop' : 'buyer')),
                h('strong', null, String(a.author || '')),
                h('p', null, String(a.body || '')), up);
            }))));
          const reviews = (rs) => rs.length ? h('section', { part: 'review-matches' }, h('h3', null, this.t('fromReviews')),
            h('ul', null, rs.map((r) => h('li', { class: 'q', part: 'review' }, starBar(r.rating, this.t('rated', r.rating)), ' ',
              h('strong', null, String(r.title || '')), h('p', { class: 'a' }, String(r.body || '')),
              h('span', { class: 'muted' }, String(r.author || ''), r.verified ? ` · ${this.t('buyer')}` : ''))))) : null;
          const show = (d, q) => {
            const none = !d.questions.length && !(d.reviews || []).length;
            found.replaceChildren(...[reviews(d.reviews || []), q && none ? h('p', { class: 'muted' }, this.t('noMatch')) : null].filter(Boolean));
            list.replaceChildren(d.questions.length ? questions(d.questions) : q ? '' : h('p', { class: 'muted' }, this.t('none')));
          };
          let timer;
          box.oninput = () => {
            clearTimeout(timer);
            timer = setTimeout(async () => {
              const q = box.value.trim();
              try { show(q ? await api(`${path(this)}?q=${encodeURIComponent(q)}`) : this.d, q); } catch (e) { /* keep what shows */ }
            }, 300);
          };
          const form = h('form', { part: 'form', novalidate: true }, box, name, email, h('div', { class: 'hp', 'aria-hidden': 'true' }, trap),
            h('button', { type: 'submit', part: 'button submit' }, this.t('ask')), note);
          form.onsubmit = async (e) => {
            e.preventDefault();
            const btn = form.querySelector('button[type=submit]');
            btn.disabled = true;
            try {
              const r = await api(path(this), { body: box.value.trim(), name: name.value.trim(), ...contact(email.value.trim()), website: trap.value });
              note.textContent = this.t(r.status === 'published' ? 'asked' : 'held');
              box.value = '';
              this.d = await fresh(this);
              show(this.d, '');
            } catch (err) {
              note.textContent = this.t('askErr');
            }
            btn.disabled = false;
          };
          show(this.d, '');
          return h('section', { class: 'box', 'aria-labelledby': `${id}h` }, h('h2', { id: `${id}h` }, this.t('qa')), form, found, list);
        },
      },
    },
  };
};
