// daylog: a hover box for the grass squares, showing their SVG <title> at once (the title
// itself stays for screen readers and for browsers without JavaScript).
(function () {
  var tip = null;
  function show(event) {
    var el = event.target.closest && event.target.closest(".daylog-board rect[data-date]");
    if (!el) { if (tip) tip.hidden = true; return; }
    if (!tip) { tip = document.createElement("div"); tip.className = "daylog-tip"; document.body.appendChild(tip); }
    var title = el.querySelector("title");
    tip.textContent = title ? title.textContent : el.getAttribute("data-date");
    tip.hidden = false;
    var r = el.getBoundingClientRect();
    tip.style.left = Math.max(4, Math.min(window.innerWidth - tip.offsetWidth - 4, r.left + r.width / 2 - tip.offsetWidth / 2)) + "px";
    tip.style.top = Math.max(4, r.top - tip.offsetHeight - 6) + "px";
  }
  document.addEventListener("mouseover", show);
  // an avatar picture that cannot load leaves the initials under it in view
  document.addEventListener("error", function (event) {
    var el = event.target;
    if (el && el.matches && el.matches(".daylog-avatar img")) el.remove();
  }, true);
  document.addEventListener("focusin", show);
})();
