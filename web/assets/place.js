// The lodging page's place: "Use my location" and a pin on a Leaflet map fill the hidden latitude/longitude
// fields, and open cases of the same category near the pin are offered ("Is it one of these?"). Without this
// script the page works with the address as typed. With no tile server configured the map shows the ward outlines.
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import "./place.css";

const STYLESHEET = document.currentScript ? document.currentScript.src.replace(/\.js(\?.*)?$/, ".css") : null;

function ensureStyles() {
  if (!STYLESHEET || document.querySelector("link[data-batho-place]")) return;  // the page links it in its head
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = STYLESHEET;
  link.dataset.bathoPlace = "true";
  document.head.appendChild(link);
}

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function setup(box) {
  const words = box.dataset;
  const lat = document.getElementById("latitude");
  const lon = document.getElementById("longitude");
  const status = box.querySelector("#place-status");
  const clear = box.querySelector("#clear-place");
  const category = document.getElementById("f-category");
  const nearby = box.querySelector("#nearby");
  const list = box.querySelector("#nearby-list");
  box.hidden = false;
  box.querySelector(".place-js").hidden = false;

  const container = box.querySelector("#place-map");
  const map = L.map(container, { zoomSnap: 0.5 });
  // The container may get its size after the map is made (styles arriving, the fieldset shown): follow it.
  if (window.ResizeObserver) new ResizeObserver(() => map.invalidateSize()).observe(container);
  if (words.tiles) {
    L.tileLayer(words.tiles, { maxZoom: 19, attribution: words.attribution || "" }).addTo(map);
  }
  let marker = null;
  let wardLayer = null;
  // With tiles the streets show from close by; with only the ward outlines a wider view shows the ward around the pin.
  const closeZoom = words.tiles ? 17 : 13;

  function showNearby(cases) {
    list.replaceChildren();
    nearby.hidden = cases.length === 0;
    for (const c of cases) {
      const item = el("li");
      item.append(el("a", { href: c.url }, c.reference), " — ", c.status_text, " · ", c.age);
      list.append(item);
    }
  }

  function showWard(answer) {
    if (answer.ward) {
      status.textContent = words.inWard.replace("{ward}", answer.ward.name);
      status.classList.remove("error");
    } else if (answer.outside) {
      status.textContent = answer.outside;  // lodging would refuse this point: say so now
      status.classList.add("error");
    }
  }

  async function askNearby() {
    if (!lat.value || !lon.value) {
      showNearby([]);
      return;
    }
    const query = new URLSearchParams({ process: words.process, category: category ? category.value : "",
                                        lat: lat.value, lon: lon.value });
    try {
      const answer = await fetch(`${words.nearbyUrl}?${query}`, { headers: { Accept: "application/json" } });
      const body = answer.ok ? await answer.json() : { cases: [] };
      showWard(body);
      showNearby(body.cases || []);
    } catch (error) {
      showNearby([]);  // nearby cases are a help, not a step: lodging goes on without them
    }
  }

  function place(latlng, zoom) {
    lat.value = latlng.lat.toFixed(6);
    lon.value = latlng.lng.toFixed(6);
    if (marker) {
      marker.setLatLng(latlng);
    } else {
      marker = L.marker(latlng, { draggable: true, title: words.pinTitle, alt: words.pinTitle,
                                  icon: L.divIcon({ className: "place-pin", iconSize: [26, 26], iconAnchor: [13, 26] }) })
        .addTo(map);
      marker.on("dragend", () => place(marker.getLatLng()));
    }
    if (zoom) map.setView(latlng, Math.max(map.getZoom() || 0, zoom), { animate: false });
    status.textContent = words.placed;
    clear.hidden = false;
    askNearby();
  }

  map.on("click", (event) => place(event.latlng));
  clear.addEventListener("click", () => {
    lat.value = "";
    lon.value = "";
    if (marker) marker.remove();
    marker = null;
    clear.hidden = true;
    status.textContent = words.cleared;
    status.classList.remove("error");
    showNearby([]);
  });
  if (category) category.addEventListener("change", askNearby);

  box.querySelector("#use-location").addEventListener("click", () => {
    if (!navigator.geolocation) {
      status.textContent = words.noLocation;
      return;
    }
    status.textContent = words.locating;
    navigator.geolocation.getCurrentPosition(
      (position) => place(L.latLng(position.coords.latitude, position.coords.longitude), closeZoom),
      () => { status.textContent = words.noLocation; },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  });

  fetch(words.wardsUrl).then((answer) => answer.json()).then((geojson) => {
    wardLayer = L.geoJSON(geojson, {
      style: { color: "#0072b2", weight: 2, fillOpacity: 0.08 },
    }).addTo(map);
    wardLayer.on("click", (event) => place(event.latlng));
    if (!marker) map.fitBounds(wardLayer.getBounds());
  }).catch(() => { if (!marker) map.setView([-27.27, 28.5], 10); });

  if (lat.value && lon.value) {
    place(L.latLng(Number(lat.value), Number(lon.value)), closeZoom);
  } else {
    map.setView([-27.27, 28.5], 10);
  }
  box.dataset.ready = "true";
}

ensureStyles();
const box = document.getElementById("f-place");
if (box) setup(box);
