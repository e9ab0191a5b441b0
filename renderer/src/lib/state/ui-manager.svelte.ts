export const VIEWS = ['sources', 'lineage', 'findings', 'access', 'drift', 'timeline', 'snapshots'] as const;
export type ViewId = (typeof VIEWS)[number];
export type Theme = 'light' | 'dark';

const THEME_KEY = 'driftline.theme';

function initialTheme(): Theme {
  const stored = localStorage.getItem(THEME_KEY);
  if (stored === 'light' || stored === 'dark') return stored;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function viewFromHash(): ViewId | null {
  const id = new URLSearchParams(location.hash.replace(/^#/, '')).get('view');
  return (VIEWS as readonly string[]).includes(id ?? '') ? (id as ViewId) : null;
}

/**
 * Shell state: the current view, the theme, and the "Esc closes panels" stack. The view lives in
 * the URL fragment (`#view=findings`) so a reload keeps the auditor where they were.
 */
class UiManager {
  view = $state<ViewId>(viewFromHash() ?? 'lineage');
  theme = $state<Theme>(initialTheme());
  #closers: (() => void)[] = [];

  constructor() {
    this.#applyTheme();
  }

  show(view: ViewId): void {
    this.view = view;
    history.replaceState(history.state, '', `${location.pathname}${location.search}#view=${view}`);
  }

  toggleTheme(): void {
    this.theme = this.theme === 'dark' ? 'light' : 'dark';
    localStorage.setItem(THEME_KEY, this.theme);
    this.#applyTheme();
  }

  #applyTheme(): void {
    document.documentElement.dataset.theme = this.theme;
  }

  /**
   * Registers a panel's close function for Esc; returns the function to call when it closes on
   * its own. The most recently opened panel closes first.
   */
  pushPanel(close: () => void): () => void {
    this.#closers.push(close);
    return () => {
      this.#closers = this.#closers.filter((c) => c !== close);
    };
  }

  /** Closes the top-most open panel; false when none was open. */
  closeTopPanel(): boolean {
    const close = this.#closers.pop();
    if (!close) return false;
    close();
    return true;
  }
}

export const ui = new UiManager();
