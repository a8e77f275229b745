/**
 * The stylesheet of report.html, inlined. Light only: the report is read on screen and printed
 * on A4 (`@page`), and no chart, small table or heading is split from what follows it.
 */
export const REPORT_CSS = `
@page { size: A4; margin: 14mm 12mm 16mm; }
:root { color-scheme: light; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: #fff; color: #1a1a1a;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "DejaVu Sans",
    "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif;
}
main { max-width: 900px; margin: 0 auto; padding: 24px 20px 40px; }
h1 { font-size: 24px; line-height: 1.25; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 18px; margin: 28px 0 10px; padding-bottom: 3px; border-bottom: 2px solid #0072B2;
  break-after: avoid; page-break-after: avoid; }
h3 { font-size: 15px; margin: 18px 0 6px; break-after: avoid; page-break-after: avoid; }
code { font-family: "DejaVu Sans Mono", ui-monospace, Menlo, Consolas, monospace; font-size: 0.92em;
  overflow-wrap: anywhere; }
.subtitle { color: #555; margin: 0 0 12px; }
dl.meta { display: flex; flex-wrap: wrap; gap: 6px 36px;
  margin: 0; padding: 10px 12px; border: 1px solid #d6d6d6; border-radius: 4px; }
dl.meta div { min-width: 0; }
dl.meta dd code { white-space: nowrap; }
dl.meta dt { font-size: 12px; color: #555; }
dl.meta dd { margin: 0; font-weight: 700; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
ul.findings { list-style: none; margin: 0; padding: 0; }
ul.findings li { position: relative; padding: 3px 0 3px 26px; overflow-wrap: anywhere; }
ul.findings li::before { position: absolute; left: 5px; top: 3px; font-weight: 700; }
ul.findings li.good::before { content: "\\2713"; color: #007a56; }
ul.findings li.bad::before { content: "\\2717"; color: #b34700; }
ul.findings li.info::before { content: "\\2022"; color: #0072B2; }
ul.findings li.bad { font-weight: 700; }
.met { color: #007a56; white-space: nowrap; }
.missed { color: #b34700; font-weight: 700; white-space: nowrap; }
.note { color: #555; font-style: italic; }
table { width: 100%; border-collapse: collapse; margin: 4px 0 10px; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 8px; border-bottom: 1px solid #e2e2e2; text-align: left; vertical-align: top; }
th { background: #f2f2f2; font-weight: 700; }
th.num, td.num { text-align: right; white-space: nowrap; }
tr { break-inside: avoid; page-break-inside: avoid; }
table.measures { width: auto; min-width: 62%; }
table.measures td:first-child { padding-right: 32px; }
tr.sub td:first-child { padding-left: 26px; color: #444; }
figure.chart { margin: 0 0 18px; break-inside: avoid; page-break-inside: avoid; }
figure.chart figcaption { font-weight: 700; font-size: 15px; margin: 0 0 2px; }
svg.line-chart { display: block; width: 100%; height: auto; margin-bottom: 4px; }
.block { break-inside: avoid; page-break-inside: avoid; }
footer { margin-top: 32px; padding-top: 8px; border-top: 1px solid #ddd; color: #666; font-size: 12px; }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h1 { font-size: 19pt; }
  h2 { font-size: 14pt; margin-top: 16px; }
  h3 { font-size: 11.5pt; }
  section.charts { break-before: page; page-break-before: always; }
  figure.chart { margin-bottom: 10px; }
}
`;

/**
 * The CSP hash source of REPORT_CSS, so that report.html allows exactly its own <style> and no
 * other inline style or script (`style-src 'sha256-…'`, no 'unsafe-inline'). Computing SHA-256
 * here would need a Node built-in or async WebCrypto, so it is a constant: the report test
 * recomputes it and fails, with the new value, when the CSS changes.
 */
export const REPORT_CSS_SHA256 = 'fhpAleoZpcc5T4hN1kDnATBBqaHiGIp7JeIUWhrRwI0=';
