// Typesets the post's formulas with KaTeX (server-side, so the page needs no script).
// stdin: a JSON list of [latex, display]; stdout: a JSON list of {html} or {error}.
// Usage: node katex_render.js <path of the katex package>
const katex = require(process.argv[2]);

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const out = JSON.parse(input).map(([tex, display]) => {
    try {
      return { html: katex.renderToString(tex, { displayMode: display, throwOnError: true,
                                                 strict: "ignore", output: "htmlAndMathml" }) };
    } catch (e) {
      return { error: String(e.message || e).split("\n")[0] };
    }
  });
  process.stdout.write(JSON.stringify(out));
});
