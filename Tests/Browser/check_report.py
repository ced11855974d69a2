"""Renders an HTML report in headless Chromium and checks it as a reader's browser would see it.

Usage: check_report.py CHROMIUM REPORT.html SCREENSHOT.png [REPORT.html SCREENSHOT.png …]

Prints one JSON object per report, one a line, in the order given: the file, the failures by category ("console": console messages of level warning or
error and uncaught exceptions, "network": every request for anything but the file itself, "empty":
plots or heat maps with no ink inside their box, "scripts": <script> elements), the number of plots
and heat maps checked, and exits 1 when any report has a non-empty category. Saves a full-page PNG of each. One browser
renders them all, since starting Chromium costs seconds.
Uses the system Chromium through Playwright's executable_path: no browser is downloaded, and every
request that would leave the machine is aborted after being recorded.
"""
import io
import json
import pathlib
import sys

import numpy as np
from PIL import Image
from playwright.sync_api import sync_playwright


def ink_inside(png, box):
    """Pixels inside `box` (left, top, right, bottom, in the element's pixels) that are neither
    white nor the light grey of the grid: what the data drew. Also the box's pixel variance."""
    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.float64)
    left, top, right, bottom = (int(round(v)) for v in box)
    region = image[top + 2:bottom - 1, left + 2:right - 1]
    if region.size == 0:
        return 0, 0.0
    ink = (region.min(axis=2) < 180).sum()
    return int(ink), float(region.var())


def check(context, report, screenshot):
    """Renders one report in a new page of `context`; its verdict as a dictionary."""
    failures = {"console": [], "network": [], "empty": [], "scripts": []}
    target = pathlib.Path(report).resolve().as_uri()

    def route(r):
        if r.request.url != target:
            failures["network"].append(r.request.url)
            r.abort()
        else:
            r.continue_()

    page = context.new_page()
    page.route("**/*", route)
    page.on("console", lambda m: failures["console"].append(f"{m.type}: {m.text}")
            if m.type in ("error", "warning", "assert") else None)
    page.on("pageerror", lambda e: failures["console"].append(f"exception: {e}"))
    page.goto(target, wait_until="load")
    page.wait_for_timeout(100)
    scripts = page.locator("script").count()
    if scripts:
        failures["scripts"].append(f"{scripts} <script> element(s)")
    checked = 0
    for svg in page.locator("svg.plot, svg.heatmap").all():
        checked += 1
        title = svg.locator("title").first.text_content() if svg.locator("title").count() else "(untitled)"
        png = svg.screenshot()
        if "heatmap" in (svg.get_attribute("class") or ""):
            cells = svg.locator("rect.cell")
            first, last = cells.first.bounding_box(), cells.last.bounding_box()
            origin = svg.bounding_box()
            box = (first["x"] - origin["x"], first["y"] - origin["y"],
                   last["x"] + last["width"] - origin["x"], last["y"] + last["height"] - origin["y"])
            ink, variance = ink_inside(png, (box[0] - 2, box[1] - 2, box[2] + 1, box[3] + 1))
            if variance <= 0:
                failures["empty"].append(f"heat map '{title}': no variation in its cells")
            continue
        clip = svg.locator("clipPath rect")
        if clip.count() == 0:
            failures["empty"].append(f"plot '{title}': no plot box (no finite data)")
            continue
        box = [float(clip.first.get_attribute(a)) for a in ("x", "y", "width", "height")]
        ink, variance = ink_inside(png, (box[0], box[1], box[0] + box[2], box[1] + box[3]))
        if ink < 20 or variance <= 0:
            failures["empty"].append(f"plot '{title}': {ink} pixels of data inside its box (variance {variance:.1f})")
    page.screenshot(path=screenshot, full_page=True)
    page.close()
    return {"file": report, "failures": failures, "checked": checked}


def main(chromium, pairs):
    failed = False
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        context = browser.new_context(viewport={"width": 1200, "height": 900}, device_scale_factor=1)
        for report, screenshot in pairs:
            verdict = check(context, report, screenshot)
            failed = failed or any(verdict["failures"].values())
            print(json.dumps(verdict), flush=True)
        browser.close()
    return 1 if failed else 0


if __name__ == "__main__":
    arguments = sys.argv[2:]
    if len(sys.argv) < 4 or len(arguments) % 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], list(zip(arguments[0::2], arguments[1::2]))))
