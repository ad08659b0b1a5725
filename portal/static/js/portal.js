// Starts Det Fælles Designsystem's components; the CSP allows no inline script, so it lives here.
document.addEventListener("DOMContentLoaded", function () {
  if (window.DKFDS) {
    window.DKFDS.init();
  }
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
});

// The budget table's totals follow what is typed; the server computes the same sums when it saves.
document.addEventListener("DOMContentLoaded", function () {
  var table = document.querySelector("[data-budget-table]");
  if (!table) {
    return;
  }
  var kroner = function (amount) {
    return amount.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".") + " kr.";
  };
  var update = function () {
    var perYear = {};
    var total = 0;
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var amountInput = row.querySelector(".budget-amount");
      var yearSelect = row.querySelector("select[name$='-year']");
      var text = amountInput ? amountInput.value.replace(/\s|kr\.?$/gi, "") : "";
      if (!/^(\d{1,3}(\.\d{3})+|\d+)$/.test(text)) {
        return;
      }
      var amount = parseInt(text.replace(/\./g, ""), 10);
      total += amount;
      if (yearSelect && yearSelect.value) {
        perYear[yearSelect.value] = (perYear[yearSelect.value] || 0) + amount;
      }
    });
    table.querySelectorAll("[data-year-total]").forEach(function (cell) {
      cell.textContent = kroner(perYear[cell.getAttribute("data-year-total")] || 0);
    });
    var totalCell = table.querySelector("[data-budget-total]");
    totalCell.textContent = kroner(total);
    totalCell.classList.toggle("budget-over", total > parseInt(totalCell.getAttribute("data-max"), 10));
  };
  table.addEventListener("input", update);
  table.addEventListener("change", update);
});
