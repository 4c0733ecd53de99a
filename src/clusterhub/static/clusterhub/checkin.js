/* The check-in desk's camera: decode a badge's QR code and submit it like a typed code.
 *
 * The browser's own BarcodeDetector is used where it exists (Chrome on Android, Safari);
 * elsewhere the vendored jsQR library (static/vendor/jsQR-*.js, loaded only then) reads
 * frames drawn on a canvas. Everything else is the page's plain form: the decoded text goes
 * into the code field and the form is submitted, so htmx posts it and shows the result. A badge
 * held in front of the camera is sent once, not on every frame (the server would answer
 * "already checked in" anyway, but the green answer would turn amber under the person's eyes).
 */
(function () {
  "use strict";

  const REPEAT_MS = 3000; // a badge out of sight this long counts as shown again
  const FRAME_MS = 150; // about six decodes a second: enough, and easy on phones
  const MAX_WIDTH = 640; // frames are scaled down before jsQR reads them

  document.querySelectorAll("[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  const form = document.getElementById("checkin-form");
  const root = document.getElementById("camera");
  if (!form || !root) return;

  const codeInput = form.elements.namedItem("code");
  const methodInput = form.elements.namedItem("method");
  let stream = null; // the camera's, while it runs

  // After each answer: an empty field, ready for the next typed code or scanner burst.
  form.addEventListener("htmx:afterRequest", function () {
    codeInput.value = "";
    methodInput.value = "typed";
    if (!stream) codeInput.focus();
  });

  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    if (!window.isSecureContext) {
      root.hidden = false;
      root.querySelector("[data-camera-start]").hidden = true;
      root.querySelector("[data-camera-status]").textContent = root.dataset.msgInsecure;
    }
    return; // no camera API: the typed code and the name search remain
  }
  root.hidden = false;

  const video = root.querySelector("video");
  const status = root.querySelector("[data-camera-status]");
  const startButton = root.querySelector("[data-camera-start]");
  const stopButton = root.querySelector("[data-camera-stop]");
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  let detector = null;
  let last = { code: "", at: 0 };

  function loadJsQR() {
    if (typeof window.jsQR === "function") return Promise.resolve();
    return new Promise(function (resolve, reject) {
      const script = document.createElement("script");
      script.src = root.dataset.jsqrSrc;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  async function nativeDetector() {
    if (!("BarcodeDetector" in window)) return null;
    try {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      return formats.includes("qr_code") ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
    } catch (error) {
      return null;
    }
  }

  async function decode() {
    if (detector) {
      const found = await detector.detect(video);
      return found.length ? found[0].rawValue : null;
    }
    const scale = Math.min(1, MAX_WIDTH / video.videoWidth);
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    const found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
    return found ? found.data : null;
  }

  function send(code) {
    // A badge held in view is seen on every frame: send it once, and again only after it
    // has been out of sight for a moment (then the desk says "already checked in").
    const now = Date.now();
    const seenJustNow = code === last.code && now - last.at < REPEAT_MS;
    last = { code: code, at: now };
    if (seenJustNow) return;
    codeInput.value = code;
    methodInput.value = "scan";
    form.requestSubmit();
    if (navigator.vibrate) navigator.vibrate(60);
  }

  async function tick() {
    if (!stream) return;
    if (video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth) {
      try {
        const code = await decode();
        if (code) send(code.trim());
      } catch (error) {
        // A frame that cannot be read (camera switching, tab hidden): try the next one.
      }
    }
    window.setTimeout(tick, FRAME_MS);
  }

  async function start() {
    status.textContent = root.dataset.msgStarting;
    try {
      detector = await nativeDetector();
      if (!detector) await loadJsQR();
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: { ideal: "environment" } },
        audio: false,
      });
    } catch (error) {
      status.textContent = root.dataset.msgDenied;
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    status.textContent = root.dataset.msgScanning;
    startButton.hidden = true;
    stopButton.hidden = false;
    tick();
  }

  function stop() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.srcObject = null;
    video.hidden = true;
    startButton.hidden = false;
    stopButton.hidden = true;
    codeInput.focus();
  }

  startButton.addEventListener("click", start);
  stopButton.addEventListener("click", stop);
  window.addEventListener("pagehide", stop);
})();
