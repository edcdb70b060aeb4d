(function () {
  'use strict';

  var table = document.getElementById('drift-table');
  if (!table) return;
  var series = JSON.parse(document.getElementById('chart-data').textContent);
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.querySelectorAll('tr.row'));
  var detailOf = function (row) { return document.getElementById(row.id + '-detail'); };
  var charts = [];

  function theme() {
    var css = getComputedStyle(document.documentElement);
    var v = function (name) { return css.getPropertyValue(name).trim(); };
    return { fg: v('--muted'), grid: v('--grid'), ref: v('--ref'), refLine: v('--ref-line'), cur: v('--cur'), curLine: v('--cur-line') };
  }

  function datasets(s, t) {
    // Wide reference bars behind narrow current bars: the overlay reads by width, not only by colour.
    var wide = s.kind === 'bin' ? 1 : 0.9;
    return [
      { label: 'current', data: s.current, backgroundColor: t.cur, borderColor: t.curLine, borderWidth: 1, barPercentage: 0.45, categoryPercentage: 1, grouped: false, order: 1 },
      { label: 'reference', data: s.reference, backgroundColor: t.ref, borderColor: t.refLine, borderWidth: 1, barPercentage: wide, categoryPercentage: wide, grouped: false, order: 2 },
    ];
  }

  function tooltip(ctx) {
    var s = series[Number(ctx.chart.canvas.getAttribute('data-chart'))];
    var side = ctx.dataset.label;
    return side + ': ' + ctx.parsed.y + '% (' + s.counts[side][ctx.dataIndex].toLocaleString('en-US') + ')';
  }

  function draw(canvas) {
    var s = series[Number(canvas.getAttribute('data-chart'))];
    var t = theme();
    charts.push(new Chart(canvas, {
      type: 'bar',
      data: { labels: s.labels, datasets: datasets(s, t) },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        color: t.fg,
        scales: {
          x: { ticks: { color: t.fg, autoSkip: true, maxRotation: 45 }, grid: { display: false }, title: { display: true, text: s.kind === 'bin' ? 'bin' : 'category', color: t.fg } },
          y: { beginAtZero: true, suggestedMax: s.axisMax, ticks: { color: t.fg, callback: function (v) { return v + '%'; } }, grid: { color: t.grid }, title: { display: true, text: 'share', color: t.fg } },
        },
        plugins: {
          legend: { reverse: true, labels: { color: t.fg, boxWidth: 14 } },
          tooltip: { callbacks: { label: tooltip } },
        },
      },
    }));
  }

  // Charts are drawn when their row is open and near the viewport: a 500-column report costs nothing until read.
  var observer = 'IntersectionObserver' in window
    ? new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (!e.isIntersecting) return;
        observer.unobserve(e.target);
        draw(e.target);
      });
    }, { rootMargin: '200px' })
    : { observe: draw, unobserve: function () {} };

  function setOpen(row, open) {
    var detail = detailOf(row);
    row.querySelector('button.expand').setAttribute('aria-expanded', String(open));
    detail.classList.toggle('open', open);
    var canvas = detail.querySelector('canvas');
    if (open && !canvas.hasAttribute('data-queued')) {
      canvas.setAttribute('data-queued', '');
      observer.observe(canvas);
    }
  }

  tbody.addEventListener('click', function (e) {
    var button = e.target.closest('button.expand');
    if (!button) return;
    var row = button.closest('tr');
    setOpen(row, button.getAttribute('aria-expanded') !== 'true');
  });

  var expandAll = document.getElementById('drift-expand');
  expandAll.addEventListener('click', function () {
    var open = expandAll.getAttribute('aria-pressed') !== 'true';
    expandAll.setAttribute('aria-pressed', String(open));
    expandAll.textContent = open ? 'Collapse all' : 'Expand all';
    rows.forEach(function (row) { if (!row.hidden) setOpen(row, open); });
  });

  function sortValue(row, col) {
    var cell = row.cells[col];
    var v = cell.getAttribute('data-sort');
    if (v === null) return cell.textContent.trim().toLowerCase();
    return v === '' ? null : Number(v);
  }

  table.tHead.addEventListener('click', function (e) {
    var button = e.target.closest('button[data-col]');
    if (!button) return;
    var th = button.parentElement;
    var col = Number(button.getAttribute('data-col'));
    var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
    table.tHead.querySelectorAll('th[aria-sort]').forEach(function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
    rows.sort(function (a, b) {
      var x = sortValue(a, col);
      var y = sortValue(b, col);
      if (x === y) return sortValue(a, 0) - sortValue(b, 0);
      if (x === null) return 1;
      if (y === null) return -1;
      return (typeof x === 'number' ? x - y : x.localeCompare(y)) * dir;
    });
    rows.forEach(function (row) { tbody.appendChild(row); tbody.appendChild(detailOf(row)); });
  });

  var filter = document.getElementById('drift-filter');
  var verdict = document.getElementById('drift-verdict');
  var type = document.getElementById('drift-type');
  var shown = document.getElementById('drift-count');
  function applyFilter() {
    var text = filter.value.trim().toLowerCase();
    var n = 0;
    rows.forEach(function (row) {
      var name = row.querySelector('button.expand').textContent.toLowerCase();
      var match = name.indexOf(text) !== -1
        && (!verdict.value || row.getAttribute('data-verdict') === verdict.value)
        && (!type.value || row.getAttribute('data-type') === type.value);
      row.hidden = !match;
      detailOf(row).hidden = !match;
      if (match) n++;
    });
    shown.textContent = n === rows.length ? rows.length + ' columns' : 'showing ' + n + ' of ' + rows.length + ' columns';
  }
  [filter, verdict, type].forEach(function (el) { el.addEventListener('input', applyFilter); });

  // Links from the verdict header (#drift-3) open the column they name.
  function openFromHash() {
    var row = location.hash && document.getElementById(location.hash.slice(1));
    if (row && row.classList.contains('row')) {
      row.hidden = false;
      setOpen(row, true);
    }
  }
  window.addEventListener('hashchange', openFromHash);
  openFromHash();

  // Drawn charts take the palette of the moment: a switch to dark mode, or to paper when printing.
  function restyle() {
    var t = theme();
    charts.forEach(function (chart) {
      var s = series[Number(chart.canvas.getAttribute('data-chart'))];
      chart.data.datasets = datasets(s, t);
      ['x', 'y'].forEach(function (axis) {
        chart.options.scales[axis].ticks.color = t.fg;
        chart.options.scales[axis].title.color = t.fg;
      });
      chart.options.scales.y.grid.color = t.grid;
      chart.options.plugins.legend.labels.color = t.fg;
      chart.update('none');
    });
  }
  ['(prefers-color-scheme: dark)', 'print'].forEach(function (query) { window.matchMedia(query).addEventListener('change', restyle); });
})();
