/* Self-check quizzes of the lecture pages (coursekit.quiz writes their HTML).

   Each question is a <fieldset>: radio buttons with labels, or a text field for a number,
   then a "Check" button and a status line that screen readers announce (role="status").
   "Check" shows the feedback of the choice made (or of the number typed) and hides the
   others; a new choice or a new number clears the verdict until it is checked again.
   Nothing is sent anywhere and nothing is stored: the answers are in the page. */
(() => {
  "use strict";

  const parseNumber = (text) => {
    // "0,25", " 545 ", "12 %", "1 000" and "−2" (a typographic minus) are read as numbers.
    const cleaned = text
      .trim()
      .replace(/\u2212/g, "-")
      .replace(/[\s\u00a0\u202f%]/g, "")
      .replace(",", ".");
    if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cleaned)) return null;
    return Number(cleaned);
  };

  const show = (question, feedback, verdict, right) => {
    for (const box of question.querySelectorAll(".course-quiz__feedback")) {
      box.hidden = box !== feedback;
    }
    question.classList.toggle("course-quiz__question--right", right === true);
    question.classList.toggle("course-quiz__question--wrong", right === false);
    const status = question.querySelector(".course-quiz__status");
    status.textContent = verdict;
  };

  const clear = (question) => show(question, null, "", null);

  const checkChoice = (question) => {
    const chosen = question.querySelector("input[type=radio]:checked");
    if (!chosen) {
      show(question, null, "Choose an answer first.", null);
      return;
    }
    const feedback = question.querySelector(
      `.course-quiz__feedback[data-for="${chosen.value}"]`,
    );
    const right = chosen.dataset.correct === "true";
    show(question, feedback, right ? "Correct." : "Not quite: read why, then try again.", right);
  };

  const checkNumber = (question) => {
    const field = question.querySelector("input[type=text]");
    const value = parseNumber(field.value);
    if (value === null) {
      show(question, null, "Type a number, such as 0.25 (no units).", null);
      return;
    }
    const answer = Number(question.dataset.answer);
    const tolerance = Number(question.dataset.tolerance);
    const close = (target) => Math.abs(value - target) <= tolerance + 1e-12;
    if (close(answer)) {
      show(question, question.querySelector('[data-for="right"]'), "Correct.", true);
      return;
    }
    const mistake = [...question.querySelectorAll('[data-for="mistake"]')].find((box) =>
      close(Number(box.dataset.value)),
    );
    show(
      question,
      mistake || question.querySelector('[data-for="other"]'),
      "Not quite: read why, then try again.",
      false,
    );
  };

  const setUp = (question) => {
    const numeric = question.dataset.kind === "numeric";
    const check = () => (numeric ? checkNumber(question) : checkChoice(question));
    question.querySelector(".course-quiz__check").addEventListener("click", check);
    for (const input of question.querySelectorAll("input")) {
      input.addEventListener(numeric ? "input" : "change", () => clear(question));
      if (numeric) {
        // Enter in the field checks the answer, as in a form.
        input.addEventListener("keydown", (event) => {
          if (event.key === "Enter") {
            event.preventDefault();
            check();
          }
        });
      }
    }
    question.classList.add("course-quiz__question--ready");
  };

  const start = () => {
    for (const question of document.querySelectorAll(".course-quiz__question")) {
      setUp(question);
    }
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
