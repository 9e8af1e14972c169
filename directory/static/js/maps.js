// Maps for search results and service pages, drawn with the vendored Leaflet from data-* attributes
// (our CSP allows no inline script). Progressive enhancement: without JavaScript the map stays hidden
// and the list or address next to it says the same in words. Tiles come from TILE_URL; with none set,
// the markers show on a plain background.
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }

  function textElement(tag, text, className) {
    var element = document.createElement(tag);
    element.textContent = text;
    if (className) { element.className = className; }
    return element;
  }

  function popup(marker) {
    var box = document.createElement("div");
    var link = textElement("a", marker.name, "govuk-link");
    link.href = marker.url;
    box.appendChild(link);
    if (marker.address) { box.appendChild(textElement("div", marker.address, "govuk-body-s")); }
    return box;
  }

  function draw(element) {
    var markers;
    try { markers = JSON.parse(element.getAttribute("data-markers") || "[]"); } catch (e) { return; }
    if (!markers.length) { return; }
    element.classList.add("dd-map--ready");
    var map = L.map(element, { scrollWheelZoom: false });
    var tiles = element.getAttribute("data-tile-url");
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 18, attribution: element.getAttribute("data-tile-attribution") || "" }).addTo(map);
    } else {
      element.classList.add("dd-map--plain");
    }
    var points = markers.map(function (marker) {
      L.marker([marker.lat, marker.lon], { title: marker.name, alt: marker.name }).bindPopup(popup(marker)).addTo(map);
      return [marker.lat, marker.lon];
    });
    if (points.length === 1) {
      map.setView(points[0], 14);
    } else {
      map.fitBounds(points, { padding: [24, 24], maxZoom: 14 });
    }
  }

  Array.prototype.forEach.call(document.querySelectorAll(".dd-map[data-markers]"), draw);
})();
