// Passkeys (WebAuthn) for staff: make a new one, or use one to sign in.
// Each <form class="passkey"> names the URL giving options (data-options) and the URL taking
// the result (data-send). Its button stays hidden without JavaScript or WebAuthn, and the page
// says so in words and offers the other way.
(function () {
  "use strict";

  function toBytes(text) {
    var padded = text.replace(/-/g, "+").replace(/_/g, "/");
    while (padded.length % 4) { padded += "="; }
    var raw = atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes.buffer;
  }

  function toText(buffer) {
    var bytes = new Uint8Array(buffer);
    var raw = "";
    for (var i = 0; i < bytes.length; i++) { raw += String.fromCharCode(bytes[i]); }
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (item) {
      return { type: item.type, id: toBytes(item.id), transports: item.transports };
    });
  }

  function made(credential) {
    var response = credential.response;
    return {
      id: credential.id, rawId: toText(credential.rawId), type: credential.type,
      response: {
        clientDataJSON: toText(response.clientDataJSON),
        attestationObject: toText(response.attestationObject),
        transports: response.getTransports ? response.getTransports() : []
      },
      clientExtensionResults: credential.getClientExtensionResults()
    };
  }

  function used(credential) {
    var response = credential.response;
    return {
      id: credential.id, rawId: toText(credential.rawId), type: credential.type,
      response: {
        clientDataJSON: toText(response.clientDataJSON),
        authenticatorData: toText(response.authenticatorData),
        signature: toText(response.signature),
        userHandle: response.userHandle ? toText(response.userHandle) : null
      },
      clientExtensionResults: credential.getClientExtensionResults()
    };
  }

  function post(url, token, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error(data.error || "That didn't work. Please try again."); }
        return data;
      });
    });
  }

  function create(options) {
    options.challenge = toBytes(options.challenge);
    options.user.id = toBytes(options.user.id);
    options.excludeCredentials = descriptors(options.excludeCredentials);
    return navigator.credentials.create({ publicKey: options }).then(made);
  }

  function get(options) {
    options.challenge = toBytes(options.challenge);
    options.allowCredentials = descriptors(options.allowCredentials);
    return navigator.credentials.get({ publicKey: options }).then(used);
  }

  function start(form, event) {
    event.preventDefault();
    var token = form.querySelector("input[name=csrf_token]").value;
    var name = form.querySelector("input[name=name]");
    var problem = form.querySelector("[data-passkey-error]");
    problem.hidden = true;
    if (name && !name.value.trim()) {
      problem.textContent = "Give the passkey a name, so you can tell it from others later.";
      problem.hidden = false;
      name.focus();
      return;
    }
    post(form.dataset.options, token).then(function (options) {
      return name ? create(options) : get(options);
    }).then(function (credential) {
      return post(form.dataset.send, token,
                  { credential: credential, name: name ? name.value : undefined });
    }).then(function (answer) {
      window.location.assign(answer.next);
    }).catch(function (error) {
      var cancelled = error && (error.name === "NotAllowedError" || error.name === "AbortError");
      problem.textContent = cancelled
        ? "The passkey wasn't used. Try again, or use your other way of signing in."
        : error.message;
      problem.hidden = false;
    });
  }

  if (!window.PublicKeyCredential || !window.fetch) { return; }
  document.querySelectorAll("form.passkey").forEach(function (form) {
    form.querySelector("[data-passkey]").hidden = false;
    form.addEventListener("submit", function (event) { start(form, event); });
  });
})();
