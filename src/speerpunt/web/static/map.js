// Speerpunt: choropleth maps with Leaflet (served from /static/vendor, no tiles, nothing fetched elsewhere).
// The server sends GeoJSON with each region's colour, tooltip and link (/api/map), so the words, numbers and
// colours come from the same catalogue, formatter and colour scheme as the rest of the app.
(function () {
  "use strict";
  if (!window.L) return;
  document.querySelectorAll(".leaflet-map[data-geojson]").forEach(function (el) {
    fetch(el.getAttribute("data-geojson"), { headers: { Accept: "application/geo+json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (geo) { draw(el, geo); })
      .catch(function () { el.classList.add("failed"); });
  });

  function draw(el, geo) {
    var map = L.map(el, { zoomSnap: 0.25, attributionControl: false, scrollWheelZoom: false });
    var layer = L.geoJSON(geo, {
      style: function (f) {
        var p = f.properties;
        return { fillColor: p.fill, fillOpacity: 0.9, color: p.selected ? "#1d2733" : "#ffffff",
                 weight: p.selected ? 3 : 1 };
      },
      onEachFeature: function (f, lyr) {
        var p = f.properties;
        lyr.bindTooltip(p.tooltip, { sticky: true, className: "map-tip" });
        var box = document.createElement("div");
        var strong = document.createElement("strong");
        strong.textContent = p.tooltip;
        var open = document.createElement("a");
        open.href = p.href;
        open.textContent = el.getAttribute("data-open") || "→ " + p.name;
        box.appendChild(strong);
        box.appendChild(document.createElement("br"));
        box.appendChild(open);
        lyr.bindPopup(box);
        lyr.on("mouseover", function () { lyr.setStyle({ weight: 3, color: "#f2b134" }); });
        lyr.on("mouseout", function () { layer.resetStyle(lyr); });
      }
    }).addTo(map);
    map.fitBounds(layer.getBounds(), { padding: [8, 8] });
    layer.eachLayer(function (lyr) { lyr.getElement().setAttribute("data-region", lyr.feature.properties.code); });
    el.setAttribute("data-ready", "true");
    var legend = el.nextElementSibling;
    if (legend && legend.classList.contains("map-legend")) {
      geo.legend.forEach(function (step) {
        var item = document.createElement("span");
        var swatch = document.createElement("i");
        swatch.style.background = step.colour;
        item.appendChild(swatch);
        item.appendChild(document.createTextNode(step.label));
        legend.appendChild(item);
      });
    }
  }
})();
