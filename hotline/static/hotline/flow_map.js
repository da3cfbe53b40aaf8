// A click on a diagram of the flow map shows it at full size (scroll sideways), and back.
// Kept out of the page: the Content-Security-Policy runs no inline code.
document.addEventListener("DOMContentLoaded", () => {
  for (const diagram of document.querySelectorAll(".diagram")) {
    diagram.addEventListener("click", () => diagram.classList.toggle("full-size"));
  }
});
