// ruchy-opt explore: renders the page's data (the JSON in #explore-data, written by
// ruchy_opt/explore/page.py). Views are built when shown, so a large program's page
// opens fast; a click on a source line highlights every element whose data-l is that
// line (IR lines, diff lines, AST lines, instructions in the CFG drawings).
"use strict";
(function () {
  const D = JSON.parse(document.getElementById("explore-data").textContent);
  const S = { stage: 0, fn: "", tab: "passes", line: null, shown: 12, llvm: "after" };
  const $ = (id) => document.getElementById(id);
  const esc = (s) => String(s).replace(/[&<>"]/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  const LOC = /loc\((\d+):/;
  const AST_POS = / @(\d+):\d+/;
  const ms = (s) => (s * 1000).toFixed(s < 0.01 ? 2 : 1) + " ms";

  // ---- text with source lines ------------------------------------------------------
  // One <div> per line; data-l is the source line its span (IR) or position (AST) names.
  function lines(text, pattern, diff) {
    const out = [];
    for (const line of text.replace(/\n$/, "").split("\n")) {
      const m = pattern ? pattern.exec(line) : null;
      let cls = "";
      if (diff) {
        if (line.startsWith("+++") || line.startsWith("---")) cls = "file";
        else if (line.startsWith("@@")) cls = "hunk";
        else if (line[0] === "+") cls = "add";
        else if (line[0] === "-") cls = "del";
      }
      out.push("<div" + (cls ? ' class="' + cls + '"' : "") +
               (m && cls !== "file" ? ' data-l="' + m[1] + '"' : "") + ">" + esc(line) + "</div>");
    }
    return '<pre class="code">' + out.join("") + "</pre>";
  }
  const plain = (text) => '<pre class="plain">' + esc(text) + "</pre>";

  function graph(textId) {
    if (textId === undefined) return "";
    const blocks = (D.texts[textId].match(/^\^/gm) || []).length;
    if (blocks > D.maxCfgBlocks) {
      return '<div class="meta">CFG not drawn: ' + blocks + " blocks, more than " +
             D.maxCfgBlocks + " (ruchy-opt --dump-cfg writes every one)</div>";
    }
    if (D.svgs) {
      const svg = D.svgs[textId];
      return svg ? '<div class="cfg">' + svg + "</div>" : "";
    }
    const dot = D.graphs && D.graphs[textId];
    return dot ? '<details class="cfg"><summary>CFG (graphviz text)</summary>' +
                 plain(dot) + "</details>" : "";
  }

  // ---- stages and navigation -------------------------------------------------------
  const stage = () => D.stages[S.stage];
  function touches(st) {
    if (st.kind !== "pass") return true;
    return S.fn ? st.changed.includes(S.fn) : st.changed.length > 0;
  }
  function navigable() {
    const skip = $("skip").checked;
    return D.stages.map((st, i) => i).filter((i) => !skip || touches(D.stages[i]));
  }
  function go(i) {
    S.stage = Math.max(0, Math.min(D.stages.length - 1, i));
    S.shown = 12;
    render();
  }
  function step(dir) {
    const nav = navigable();
    const next = dir > 0 ? nav.find((i) => i > S.stage) : nav.reverse().find((i) => i < S.stage);
    if (next !== undefined) go(next);
  }

  function stageLabel(st) {
    return st.kind === "pass" ? "#" + st.index + " " + st.title : st.title;
  }

  function renderTimeline() {
    const items = [];
    let folded = [];
    const flush = () => {
      if (!folded.length) return;
      const names = folded.map((i) => D.stages[i].title).join(", ");
      const open = folded.includes(S.stage) ? " open" : "";
      items.push("<li><details" + open + "><summary>" + folded.length + " pass" +
                 (folded.length > 1 ? "es" : "") + " without change: " + esc(names) +
                 "</summary><ol>" + folded.map(entry).join("") + "</ol></details></li>");
      folded = [];
    };
    function entry(i) {
      const st = D.stages[i];
      const cls = [i === S.stage ? "current" : "", touches(st) ? "" : "unchanged",
                   st.kind === "pass" && S.fn && st.changed.includes(S.fn) ? "touches" : ""];
      const time = st.seconds !== undefined ? '<span class="ms">' + ms(st.seconds) + "</span>" : "";
      return '<li data-stage="' + i + '" class="' + cls.join(" ").trim() + '">' + time +
             esc(stageLabel(st)) + "</li>";
    }
    D.stages.forEach((st, i) => {
      if (touches(st)) { flush(); items.push(entry(i)); } else folded.push(i);
    });
    flush();
    $("timeline").innerHTML = items.join("");
    const cur = $("timeline").querySelector("li.current");
    if (cur && cur.scrollIntoViewIfNeeded) cur.scrollIntoViewIfNeeded();
  }

  function functionBlock(st, name) {
    const id = st.after[name];
    let h = "<h3>@" + esc(name) + "</h3>";
    if (st.kind !== "pass") {
      return h + (id === undefined ? '<div class="meta">not in the module</div>'
                                   : lines(D.texts[id], LOC) + graph(id));
    }
    if (!st.changed.includes(name)) {
      return h + '<div class="meta">not changed by this pass' +
             (id === undefined ? " (not in the module)" : "") + "</div>";
    }
    if (id === undefined) return h + '<div class="meta">deleted by this pass</div>' +
                                 lines(st.diffs[name], LOC, true);
    return h + lines(st.diffs[name], LOC, true) + graph(id);
  }

  function renderDetail() {
    const st = stage();
    let h = "<h2>" + esc(stageLabel(st)) + "</h2>";
    if (st.kind === "pass") {
      const [i0, b0] = st.size_before, [i1, b1] = st.size_after;
      h += '<div class="meta">' + ms(st.seconds) + "; " +
           (st.changed.length ? st.changed.length + " function" +
            (st.changed.length > 1 ? "s" : "") + " changed" : "no change") +
           "; instructions " + i0 + " &rarr; " + i1 + ", blocks " + b0 + " &rarr; " + b1 +
           "</div>";
      const stats = Object.entries(st.stats || {});
      if (stats.length) {
        h += '<table class="t stats"><tr><th>statistic</th><th class="n">count</th></tr>' +
             stats.map(([k, v]) => "<tr><td>" + esc(k) + '</td><td class="n">' + v +
                                   "</td></tr>").join("") + "</table>";
      }
    } else {
      h += '<div class="meta">' + Object.keys(st.after).length + " functions</div>";
    }
    const names = S.fn ? [S.fn] : st.changed;
    const shown = names.slice(0, S.shown);
    h += shown.map((n) => functionBlock(st, n)).join("");
    if (names.length > shown.length) {
      h += '<div class="more"><button id="more">show ' + (names.length - shown.length) +
           " more functions</button></div>";
    }
    $("detail").innerHTML = h;
    const more = $("more");
    if (more) more.onclick = () => { S.shown += 50; renderDetail(); highlight(); };
  }

  // ---- other views -----------------------------------------------------------------
  function renderIR() {
    const st = stage();
    const names = S.fn ? [S.fn] : Object.keys(st.after);
    const text = names.filter((n) => st.after[n] !== undefined)
                      .map((n) => D.texts[st.after[n]]).join("\n");
    $("pane-ir").innerHTML = "<h2>SSA after " + esc(stageLabel(st)) + "</h2>" +
      (text ? lines(text, LOC) : '<div class="meta">@' + esc(S.fn) +
       " is not in the module at this point</div>");
  }
  let astDone = false;
  function renderAST() {
    if (astDone) return;
    $("pane-ast").innerHTML = "<h2>AST</h2>" + lines(D.ast, AST_POS);
    astDone = true;
  }
  function renderLLVM() {
    const L = D.llvm;
    if (!L) { $("pane-llvm").innerHTML = '<div class="meta">no LLVM IR (see the notes)</div>'; return; }
    const times = Object.entries(L.times).map(([k, v]) => esc(k) + " " + ms(v)).join(", ");
    $("pane-llvm").innerHTML =
      "<h2>LLVM IR, tier " + L.tier + "</h2><div class=\"meta\">specialisations: " +
      esc(L.specialisations.join(", ")) + "<br>compile phases: " + times + "</div>" +
      '<label><input type="radio" name="llvm" value="before"' +
      (S.llvm === "before" ? " checked" : "") + "> as generated</label> " +
      '<label><input type="radio" name="llvm" value="after"' +
      (S.llvm === "after" ? " checked" : "") + "> after LLVM's pipeline</label>" +
      plain(S.llvm === "before" ? L.before : L.after);
    for (const r of document.querySelectorAll('input[name="llvm"]')) {
      r.onchange = () => { S.llvm = r.value; renderLLVM(); };
    }
  }
  function renderAsm() {
    $("pane-asm").innerHTML = D.llvm ? "<h2>Assembly</h2>" + plain(D.llvm.asm)
      : '<div class="meta">no assembly (see the notes)</div>';
  }
  function table(head, rows, numeric) {
    return '<table class="t"><tr>' + head.map((x, i) => "<th" +
      (numeric[i] ? ' class="n"' : "") + ">" + esc(x) + "</th>").join("") + "</tr>" +
      rows.map((r) => "<tr>" + r.map((x, i) => "<td" + (numeric[i] ? ' class="n"' : "") +
                                       ">" + esc(x) + "</td>").join("") + "</tr>").join("") +
      "</table>";
  }
  function renderRun() {
    const R = D.run;
    if (!R) { $("pane-run").innerHTML = '<div class="meta">not run: write the page with --run ' +
                                         "to see the output, the profile and what the tiered runtime compiled</div>"; return; }
    let h = "<h2>Run (tiered runtime, as ruchy-opt profile)</h2><div class=\"meta\">exit status " +
            R.status + "</div><h3>standard output</h3>" + plain(R.stdout || "(nothing)");
    if (R.stderr) h += "<h3>standard error</h3>" + plain(R.stderr);
    h += "<h3>what the tiered runtime did (--jit-log)</h3>" +
         plain(R.jit.length ? R.jit.join("\n") : "nothing: no function or loop got hot");
    const P = R.profile;
    if (P) {
      h += "<h3>functions</h3>" + table(
        ["function", "calls", "self ms", "total ms", "tier", "calls into compiled code",
         "argument types (share)", "not compiled because"],
        P.functions.map((f) => [f.name, f.calls, f.self_ms.toFixed(1), f.total_ms.toFixed(1),
          f.tier, f.compiled_calls,
          f.signatures.map(([s, p]) => "(" + s + ") " + Math.round(p * 100) + "%").join(", "),
          f.not_compiled || ""]),
        [0, 1, 1, 1, 1, 1, 0, 0]);
      h += "<h3>loops</h3>" + table(
        ["function", "line:col", "iterations", "OSR candidate", "entered compiled"],
        P.loops.map((l) => [l.function, l.line + ":" + l.col, l.iterations,
                            l.osr_candidate ? "yes" : "", l.osr_entered ? "yes" : ""]),
        [0, 0, 1, 0, 0]);
      h += "<h3>phases</h3>" + table(["phase", "ms", "share"],
        Object.entries(P.phases).map(([k, v]) => [k, (v * 1000).toFixed(1),
          Math.round(P.amdahl[k].share * 100) + "%"]), [0, 1, 1]);
      if (P.notes.length) h += '<div class="meta">' + P.notes.map(esc).join("<br>") + "</div>";
    }
    $("pane-run").innerHTML = h;
  }

  // ---- highlighting ------------------------------------------------------------------
  function highlight() {
    for (const el of document.querySelectorAll(".hl")) el.classList.remove("hl");
    for (const el of document.querySelectorAll(".src-line.selected")) el.classList.remove("selected");
    if (S.line === null) { $("line-status").textContent = ""; return; }
    const src = document.querySelector('.src-line[data-src="' + S.line + '"]');
    if (src) src.classList.add("selected");
    const pane = document.querySelector(".pane.active");
    let n = 0;
    for (const el of pane.querySelectorAll('[data-l="' + S.line + '"]')) {
      el.classList.add("hl");
      n++;
    }
    $("line-status").textContent = "line " + S.line + ": " + n + " highlighted in this view";
  }

  // ---- the whole -----------------------------------------------------------------------
  const TABS = [["passes", "Passes"], ["ir", "IR"], ["ast", "AST"], ["llvm", "LLVM IR"],
                ["asm", "Assembly"], ["run", "Run"]];
  function render() {
    for (const [t] of TABS) {
      $("pane-" + t).classList.toggle("active", t === S.tab);
      $("tab-" + t).classList.toggle("active", t === S.tab);
    }
    if (S.tab === "passes") { renderTimeline(); renderDetail(); }
    else if (S.tab === "ir") renderIR();
    else if (S.tab === "ast") renderAST();
    else if (S.tab === "llvm") renderLLVM();
    else if (S.tab === "asm") renderAsm();
    else if (S.tab === "run") renderRun();
    const nav = navigable();
    $("prev").disabled = !nav.some((i) => i < S.stage);
    $("next").disabled = !nav.some((i) => i > S.stage);
    $("position").textContent = (S.stage + 1) + "/" + D.stages.length + ": " + stageLabel(stage());
    highlight();
  }

  function init() {
    $("title").textContent = "ruchy-opt explore: " + D.file;
    const passes = D.stages.filter((s) => s.kind === "pass");
    const total = passes.reduce((a, s) => a + s.seconds, 0);
    $("summary").textContent = (D.tier === "ir" ? "generic IR" : "tier " + D.tier) +
      "; pipeline: " + (D.pipeline || "(none)") + "; " + passes.length + " pass runs, " +
      passes.filter((s) => s.changed.length).length + " changed something; " + ms(total) +
      " in passes";
    const notes = D.notes.slice();
    if (D.graphNote) notes.push(D.graphNote);
    for (const f of D.interpreted) {
      notes.push("@" + f.function + " stays in the interpreter: " +
                 (f.line ? D.file + ":" + f.line + ":" + f.col + ": " : "") + f.message);
    }
    $("notes").innerHTML = notes.map((n) => "<li>" + esc(n) + "</li>").join("");
    // source lines; those some instruction came from get a green number
    const covered = new Set();
    for (const id of Object.values(D.stages[0].after)) {
      for (const m of D.texts[id].matchAll(/loc\((\d+):/g)) covered.add(m[1]);
    }
    $("source").innerHTML = D.source.replace(/\n$/, "").split("\n").map((l, i) =>
      '<div class="src-line' + (covered.has(String(i + 1)) ? " covered" : "") +
      '" data-src="' + (i + 1) + '"><span class="no">' + (i + 1) + '</span><span class="code">' +
      esc(l) + "</span></div>").join("");
    $("source").onclick = (e) => {
      const line = e.target.closest(".src-line");
      if (!line) return;
      const n = Number(line.dataset.src);
      S.line = S.line === n ? null : n;
      highlight();
    };
    $("function").innerHTML = '<option value="">all functions</option>' +
      D.functions.map((f) => '<option value="' + esc(f) + '">@' + esc(f) + "</option>").join("");
    $("function").onchange = (e) => { S.fn = e.target.value; S.shown = 12; render(); };
    $("tabs").innerHTML = TABS.map(([t, label]) =>
      '<button id="tab-' + t + '" data-tab="' + t + '">' + label + "</button>").join(" ");
    $("tabs").onclick = (e) => {
      const t = e.target.dataset && e.target.dataset.tab;
      if (t) { S.tab = t; render(); }
    };
    $("timeline").onclick = (e) => {
      const li = e.target.closest("li[data-stage]");
      if (li) go(Number(li.dataset.stage));
    };
    $("prev").onclick = () => step(-1);
    $("next").onclick = () => step(1);
    $("skip").onchange = () => render();
    document.addEventListener("keydown", (e) => {
      if (e.target.tagName === "SELECT" || e.target.tagName === "INPUT") return;
      if (e.key === "ArrowRight") step(1);
      else if (e.key === "ArrowLeft") step(-1);
    });
    render();
    document.body.dataset.ready = "1";   // for tests: the first view is drawn
    document.body.dataset.readyMs = performance.now().toFixed(0);
  }
  init();
})();
