// Ask before a form does something that cannot be undone: a form with data-confirm="question"
// is sent only when the user says yes. (No inline handlers: the pages' CSP allows none.)
document.addEventListener("submit", function (event) {
  var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) event.preventDefault();
});
