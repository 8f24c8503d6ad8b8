/* The course's own additions to the book theme's pages, added by coursekit.offline_site.

   1. A close button in the navigation and page-contents menus. On a phone the theme
      (pydata-sphinx-theme 0.17) opens them as modal dialogs that close only with Escape
      or a tap beside them; a reader on a touch screen needs a button to see.
   2. Figures open full size. A figure in the text is scaled to the column (on a phone,
      to 390 px); a tap, a click, or Enter on it opens the image at its own size in a
      dialog that scrolls (or, at the reader's choice, fitted to the window), with a link
      to the image file. Escape, the close button or a
      tap beside the image closes it, and the focus returns to the figure.

   The theme wires its menu buttons to the first `.primary-toggle` and `.secondary-toggle`
   it finds (pydata/pydata-sphinx-theme#2451); coursekit.offline_site removes the hidden
   duplicates from the empty top bar, so that the first ones are the buttons the reader
   sees. The browser tests (tests/book_site_checks.py) check both menus and the viewer. */
(() => {
  "use strict";

  // Sphinx's sphinx_highlight.js cancels the Escape key on the whole document, which
  // keeps a modal dialog open: each dialog closes itself on Escape.
  const closeOnEscape = (dialog) => {
    dialog.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        dialog.close();
      }
    });
  };

  const addMenuCloseButtons = () => {
    // The theme moves every child of the sidebar into the dialog when it opens, and back
    // when it closes: a button placed first in the sidebar travels with them, and the
    // stylesheet shows it only inside an open dialog.
    for (const [sidebarId, dialogId, name] of [
      ["pst-primary-sidebar", "pst-primary-sidebar-modal", "Close the navigation"],
      ["pst-secondary-sidebar", "pst-secondary-sidebar-modal", "Close the page contents"],
    ]) {
      const sidebar = document.getElementById(sidebarId);
      const dialog = document.getElementById(dialogId);
      if (!sidebar || !dialog) continue;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "course-menu-close";
      button.setAttribute("aria-label", name);
      button.innerHTML = '<i class="fa-solid fa-xmark" aria-hidden="true"></i> Close';
      button.addEventListener("click", () => dialog.close());
      sidebar.prepend(button);
    }
  };

  const figureImages = () =>
    document.querySelectorAll(".bd-article figure img, .bd-article .cell_output img");

  const makeViewer = () => {
    const dialog = document.createElement("dialog");
    dialog.className = "course-lightbox";
    dialog.setAttribute("aria-label", "Figure at full size");
    dialog.innerHTML =
      '<div class="course-lightbox__bar">' +
      '<button type="button" class="course-lightbox__fit" aria-pressed="false">' +
      "Fit to screen</button>" +
      '<a class="course-lightbox__file" target="_blank" rel="noopener">Image file</a>' +
      '<button type="button" class="course-lightbox__close">Close</button></div>' +
      '<div class="course-lightbox__frame"><img alt=""></div>';
    document.body.append(dialog);
    closeOnEscape(dialog);
    dialog.querySelector(".course-lightbox__close").addEventListener("click", () =>
      dialog.close(),
    );
    // Full size by default; on a small screen the reader may want the whole figure at once.
    const fit = dialog.querySelector(".course-lightbox__fit");
    fit.addEventListener("click", () => {
      const fitted = dialog.classList.toggle("course-lightbox--fit");
      fit.setAttribute("aria-pressed", String(fitted));
    });
    // A click on the frame around the image (not on the image, nor on the bar) closes it.
    dialog.querySelector(".course-lightbox__frame").addEventListener("click", (event) => {
      if (event.target === event.currentTarget) dialog.close();
    });
    return dialog;
  };

  const setUpFigures = () => {
    const images = figureImages();
    if (!images.length) return;
    const viewer = makeViewer();
    const shown = viewer.querySelector("img");
    const fileLink = viewer.querySelector(".course-lightbox__file");
    let opener = null;
    viewer.addEventListener("close", () => {
      shown.removeAttribute("src");
      if (opener) opener.focus();
    });
    const open = (image, from) => {
      opener = from;
      viewer.classList.remove("course-lightbox--fit");
      viewer.querySelector(".course-lightbox__fit").setAttribute("aria-pressed", "false");
      shown.src = image.currentSrc || image.src;
      shown.alt = image.alt;
      fileLink.href = shown.src;
      viewer.showModal();
      viewer.querySelector(".course-lightbox__close").focus();
    };
    for (const image of images) {
      const link = image.closest("a");
      if (link) {
        // Sphinx links a scaled image to its file: open the viewer instead (the link
        // still works without JavaScript).
        link.addEventListener("click", (event) => {
          event.preventDefault();
          open(image, link);
        });
        continue;
      }
      // A button around the image: focusable, opened by Enter or Space, and named by the
      // image's alt text; its title says what it does.
      const button = document.createElement("button");
      button.type = "button";
      button.className = "course-figure-button";
      button.title = "Show the figure at full size";
      image.replaceWith(button);
      button.append(image);
      button.addEventListener("click", () => open(image, button));
    }
  };

  const start = () => {
    addMenuCloseButtons(); // (the theme closes the menus on Escape itself)
    setUpFigures();
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
