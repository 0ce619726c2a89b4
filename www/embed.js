// <looplab-demo demo="gather" p.first="1" seed="7" height="480"></looplab-demo>
// Embeds one looplab demo, compactly, in another page: the element holds an iframe of the site
// in embed mode (?embed=1), so the host page's scripts and styles never mix with looplab's.
const here = new URL('./', import.meta.url);

class LooplabDemo extends HTMLElement {
  connectedCallback() {
    const url = new URL(this.getAttribute('site') || here.href);
    url.searchParams.set('demo', this.getAttribute('demo') || 'mental-model');
    url.searchParams.set('embed', '1');
    for (const attr of this.attributes) {
      if (attr.name.startsWith('p.') || attr.name === 'seed' || attr.name === 't' || attr.name === 'axis') {
        url.searchParams.set(attr.name, attr.value);
      }
    }
    const frame = document.createElement('iframe');
    frame.src = url.href;
    frame.title = `looplab: ${url.searchParams.get('demo')}`;
    frame.loading = 'lazy';
    frame.style.width = '100%';
    frame.style.height = `${Number(this.getAttribute('height')) || 520}px`;
    frame.style.border = '1px solid #dcd8cf';
    frame.style.borderRadius = '8px';
    this.replaceChildren(frame);
  }
}

if (!customElements.get('looplab-demo')) customElements.define('looplab-demo', LooplabDemo);
