// daylog: MathJax 3 for pymdownx.arithmatex (generic), re-typeset on Material's instant navigation.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"]],
    processEscapes: true,
    processEnvironments: true
  },
  options: {
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex"
  }
};

if (typeof document$ !== "undefined") {
  document$.subscribe(function () {
    var mj = window.MathJax;
    if (!mj || !mj.startup || !mj.startup.output || !mj.typesetPromise) {
      return;  // not loaded (yet, or offline): its own start-up typesets the first page
    }
    mj.startup.output.clearCache();
    mj.typesetClear();
    mj.texReset();
    mj.typesetPromise();
  });
}
