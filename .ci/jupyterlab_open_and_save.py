"""Opens notebooks in a real JupyterLab, as a reader does, and saves them unchanged.

Usage: python jupyterlab_open_and_save.py BROWSER ROOT NOTEBOOK...

Starts a Jupyter server (JupyterLab) on localhost with ROOT as its folder, drives JupyterLab's page
in headless Chromium (BROWSER, through Playwright: no browser is downloaded), and for each NOTEBOOK
(a path relative to ROOT): opens it, waits for its Markdown cells to render, measures the
alignment and direction Chromium computes for every rendered paragraph holding Persian text,
notes whether JupyterLab marks the freshly opened notebook modified, presses Ctrl+S and waits
until the server has written the file. Prints one JSON object: JupyterLab's version and, per
notebook, those measures.
Configuration, data and runtime folders are temporary, so the user's Jupyter setup is neither
read nor changed.
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from playwright.sync_api import sync_playwright

PERSIAN = "[\u0600-\u06EF]"

# Per rendered Markdown paragraph holding Persian text: its computed alignment and direction.
MEASURE = """() => {
  const persian = new RegExp('%s');
  const notebook = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
  const paragraphs = Array.from(notebook.querySelectorAll('.jp-MarkdownCell .jp-RenderedMarkdown p'))
    .filter(p => persian.test(p.textContent));
  return paragraphs.map(p => {
    const style = getComputedStyle(p);
    return [style.textAlign, style.direction];
  });
}""" % PERSIAN


# The current notebook's kernel, once it is connected.
KERNEL = "window.jupyterapp.shell.currentWidget.sessionContext.session?.kernel"

# The language the kernel reports (ipykernel: with its Python version).
REPORTED = "async () => (await %s.info).language_info" % KERNEL

# Whether the current notebook's language_info holds what the kernel reported (`page.evaluate`
# awaits a promise, `wait_for_function` takes a plain answer).
WRITTEN = """reported => {
  const written = window.jupyterapp.shell.currentWidget.model.getMetadata('language_info') || {};
  return written.name === reported.name && written.version === reported.version;
}"""

# The current notebook has no unsaved change.
SAVED = "() => !window.jupyterapp.shell.currentWidget.context.model.dirty"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)


def main():
    browser_path, root, notebooks = sys.argv[1], sys.argv[2], sys.argv[3:]
    port, token = free_port(), "delphi-report-test"
    base = "http://127.0.0.1:%d" % port
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ)
        for variable in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
            env[variable] = os.path.join(home, variable.lower())
        env["JUPYTER_PLATFORM_DIRS"] = "1"
        log = open(os.path.join(home, "server.log"), "w+")
        server = subprocess.Popen(
            [
                sys.executable, "-m", "jupyterlab", "--no-browser",
                # --allow-root: CI containers run as root.
                "--ip=127.0.0.1", "--port=%d" % port, "--port-retries=0", "--allow-root",
                "--IdentityProvider.token=" + token,
                "--ServerApp.root_dir=" + root,
                # Nothing to fetch: no news, no update check, no extension manager listing.
                "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                "--LabApp.extension_manager=readonly",
                # window.jupyterapp: the test waits on the notebook's model, not on timing.
                "--LabApp.expose_app_in_browser=True",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            # A file, not a pipe: the server logs every request, and a full pipe would stall it.
            stderr=log,
        )
        try:
            deadline = time.time() + 90
            while True:
                try:
                    get("%s/api/status?token=%s" % (base, token))
                    break
                except OSError:
                    if server.poll() is not None or time.time() > deadline:
                        log.seek(0)
                        raise SystemExit("the Jupyter server did not start: " + log.read()[-2000:])
                    time.sleep(0.3)
            print(json.dumps(drive(browser_path, base, token, notebooks), ensure_ascii=False))
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()


def drive(browser_path, base, token, notebooks):
    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=browser_path,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        panel = ".jp-NotebookPanel:not(.lm-mod-hidden)"
        current_tab = ".lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-current"
        for notebook in notebooks:
            path = urllib.request.quote(notebook)
            contents = "%s/api/contents/%s?content=0&token=%s" % (base, path, token)
            before = get(contents)["last_modified"]
            # `reset`: a fresh workspace, with only this notebook open.
            page.goto("%s/lab/tree/%s?reset&token=%s" % (base, path, token))
            page.wait_for_selector(panel + " .jp-MarkdownCell .jp-RenderedMarkdown p", timeout=90000)
            # The kernel named in the metadata starts, and JupyterLab writes what the kernel says of
            # its language into the notebook's language_info: wait until it has, so that the save
            # below holds everything opening changes.
            page.wait_for_function("() => !!" + KERNEL, timeout=90000)
            page.wait_for_function(WRITTEN, arg=page.evaluate(REPORTED), timeout=30000)
            measured = page.evaluate(MEASURE)
            modified_on_open = "jp-mod-dirty" in (page.locator(current_tab).get_attribute("class") or "")
            # A dialog on open (a kernel to choose, a file changed on disk) is a defect: say which.
            dialog = page.locator(".jp-Dialog")
            if dialog.count():
                raise SystemExit("JupyterLab opened %s with a dialog: %s" % (notebook, dialog.first.inner_text()))
            # Ctrl+S in command mode, as a reader saves.
            page.click(panel + " .jp-Notebook")
            page.keyboard.press("Escape")
            page.keyboard.press("Control+s")
            deadline = time.time() + 60
            while get(contents)["last_modified"] == before:
                if time.time() > deadline:
                    raise SystemExit("JupyterLab did not save " + notebook)
                time.sleep(0.2)
            try:
                page.wait_for_function(SAVED, timeout=30000)
            except Exception:
                raise SystemExit("JupyterLab still holds unsaved changes to %s after saving it" % notebook)
            results[notebook] = {"paragraphs": measured, "modified_on_open": modified_on_open}
        version = page.evaluate(
            "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).appVersion")
        browser.close()
    return {"jupyterlab": version, "notebooks": results}


if __name__ == "__main__":
    main()
