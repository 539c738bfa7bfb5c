/*
 * <crm-chart> for internal portals:
 *   <script src="https://crm.example/embed.js"></script>
 *   <crm-chart chart="CHART_ID" token="EMBED_TOKEN"></crm-chart>
 * The chart renders in an iframe served by this product (so the portal never holds data or
 * credentials beyond the embed token), sized to its content.
 */
(() => {
  const origin = new URL(document.currentScript.src).origin;
  class CrmChart extends HTMLElement {
    connectedCallback() {
      const chart = this.getAttribute('chart');
      const token = this.getAttribute('token');
      const frame = document.createElement('iframe');
      frame.src = `${origin}/embed/${encodeURIComponent(chart)}?token=${encodeURIComponent(token)}`;
      frame.title = this.getAttribute('title') || 'CRM chart';
      frame.style.cssText = 'border:0;width:100%;height:' + (this.getAttribute('height') || '360') + 'px';
      frame.setAttribute('loading', 'lazy');
      frame.setAttribute('referrerpolicy', 'no-referrer');
      window.addEventListener('message', (event) => {
        if (event.origin === origin && event.data && event.data.type === 'crm-chart:height' && event.data.chartId === chart) {
          frame.style.height = `${Math.max(120, event.data.height)}px`;
        }
      });
      this.replaceChildren(frame);
    }
  }
  if (!customElements.get('crm-chart')) customElements.define('crm-chart', CrmChart);
})();
