// Speerpunt: the registry's project maps with Leaflet (served from /static/vendor; no tiles, nothing fetched
// elsewhere). /api/registry/map sends one GeoJSON layer — numbered points, zones, connections, each with its
// source, year, actors, style and doubt mark — and the province's boundaries; the printed maps draw the same
// layer. The sector and actor pickers hide what does not match, on the map and in the table below it.
(function () {
  "use strict";
  if (!window.L) return;
  var el = document.querySelector(".registry-map[data-geojson]");
  if (!el) return;
  fetch(el.getAttribute("data-geojson"), { headers: { Accept: "application/geo+json" } })
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(draw)
    .catch(function (e) { el.classList.add("failed"); if (window.console) console.error(e); });

  function rgba(hex, alpha) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + alpha + ")";
  }

  function line(box, label, value, field) {
    if (value === null || value === undefined || value === "") return;
    var p = document.createElement("p");
    p.setAttribute("data-field", field);
    var b = document.createElement("b");
    b.textContent = label + ": ";
    p.appendChild(b);
    p.appendChild(document.createTextNode(value));
    box.appendChild(p);
  }

  // textContent only: names and sources are data, never markup
  function popup(p, names) {
    var box = document.createElement("div");
    box.className = "reg-popup";
    var title = document.createElement("strong");
    title.textContent = p.n + " " + p.name;
    box.appendChild(title);
    var l = function (k) { return el.getAttribute("data-l-" + k); };
    line(box, l("place"), p.place, "place");
    line(box, l("actors"), p.actors.map(function (a) { return names[a] || a; }).join(", "), "actors");
    line(box, l("sector"), p.sector_label, "sector");
    line(box, l("source"), p.source, "source");
    line(box, l("year"), p.year, "year");
    line(box, l("precision"), p.precision ? p.precision + " — " + p.geo_source : p.geo_source, "precision");
    if (p.ambiguous) {
      var d = document.createElement("p");
      d.className = "doubt";
      d.setAttribute("data-field", "doubt");
      d.textContent = l("doubt") + " (" + p.ambiguity + ")";
      box.appendChild(d);
    }
    return box;
  }

  // pins sharing a place (two sectors' Waterfront, facilities on one municipality centre) fan out on a
  // 14 px circle, as the printed map spreads them, so each stays visible and clickable
  function fan(feats) {
    var groups = {};
    feats.forEach(function (f) {
      if (f.properties.kind !== "point") return;
      var key = f.geometry.coordinates.map(function (x) { return x.toFixed(4); }).join(",");
      (groups[key] = groups[key] || []).push(f);
    });
    var out = {};
    Object.keys(groups).forEach(function (key) {
      var g = groups[key];
      g.forEach(function (f, k) {
        var a = 2 * Math.PI * k / g.length;
        out[f.properties.n] = g.length > 1 ? [14 * Math.cos(a), -14 * Math.sin(a)] : [0, 0];
      });
    });
    return out;
  }

  function pin(f, shift) {
    var p = f.properties, s = p.style, ll = f.geometry.coordinates;
    var html = document.createElement("div");
    var span = document.createElement("span");
    span.textContent = p.n;
    html.appendChild(span);
    var icon = L.divIcon({
      className: "reg-pin sym-" + (s.symbol || "circle") + (p.ambiguous ? " doubt" : ""),
      html: html.innerHTML, iconSize: [24, 24], iconAnchor: [12 - shift[0], 12 - shift[1]]
    });
    var m = L.marker([ll[1], ll[0]], { icon: icon, keyboard: true, title: p.n + " " + p.name, alt: p.n + " " + p.name });
    m.bindTooltip(p.name, { permanent: true, direction: "right", offset: [12 + shift[0], shift[1]], className: "reg-label" });
    m.on("add", function () {
      var e = m.getElement();
      e.style.borderColor = s.colour;
      e.style.background = rgba(s.colour, Math.max(s.fill, 0.08));
    });
    return m;
  }

  function shape(f) {
    var s = f.properties.style;
    if (f.geometry.type === "Point") { // a zone known only by its centre
      var ll = f.geometry.coordinates;
      return L.circleMarker([ll[1], ll[0]], { radius: 18, color: s.colour, weight: 1, fillColor: s.colour, fillOpacity: s.fill });
    }
    return L.geoJSON(f, { style: {
      color: s.colour, weight: s.weight * 1.4, fillColor: s.colour, fillOpacity: s.fill,
      dashArray: s.dash ? s.dash.map(function (x) { return x * 1.6; }).join(" ") : null
    } });
  }

  function elements(layer) {
    var out = [];
    var walk = function (lyr) {
      if (lyr.eachLayer) { lyr.eachLayer(walk); return; }
      if (lyr.getElement && lyr.getElement()) out.push(lyr.getElement());
      var tip = lyr.getTooltip && lyr.getTooltip();
      if (tip && tip.getElement()) out.push(tip.getElement());
    };
    walk(layer);
    return out;
  }

  function draw(geo) {
    var map = L.map(el, { zoomSnap: 0.25, attributionControl: false, scrollWheelZoom: false });
    var base = L.geoJSON(geo.boundaries, {
      interactive: false,
      style: function (f) {
        return f.properties.role === "outline"
          ? { fill: false, color: "#444444", weight: 1.6 }
          : { fillColor: "#efefef", fillOpacity: 1, color: "#ffffff", weight: 0.8 };
      }
    });
    // the view first: Leaflet creates a layer's elements only once the map has one
    map.fitBounds(base.getBounds(), { padding: [8, 8] });
    base.addTo(map);
    base.eachLayer(function (lyr) {
      lyr.getElement().setAttribute("data-boundary", lyr.feature.properties.role);
    });
    var order = { zone: 0, connection: 1, point: 2 };
    var feats = geo.features.filter(function (f) { return f.geometry; });
    feats.sort(function (a, b) { return order[a.properties.kind] - order[b.properties.kind]; });
    var shifts = fan(feats);
    var items = feats.map(function (f) {
      var p = f.properties;
      var lyr = p.kind === "point" ? pin(f, shifts[p.n]) : shape(f);
      lyr.bindPopup(popup(p, geo.actor_names || {}));
      lyr.addTo(map);
      elements(lyr).forEach(function (e) {
        e.setAttribute("data-n", p.n);
        e.setAttribute("data-kind", p.kind);
        e.setAttribute("data-sector", p.sector);
      });
      return { layer: lyr, p: p };
    });

    var legend = el.nextElementSibling;
    if (legend && legend.classList.contains("map-legend")) {
      geo.properties.legend.forEach(function (e) {
        var item = document.createElement("span");
        var sw = document.createElement("i");
        var s = e.style;
        if (e.kind === "connection") {
          sw.style.borderTop = "3px " + (s.dash ? "dashed " : "solid ") + s.colour;
          sw.style.height = "0";
        } else {
          sw.style.background = rgba(s.colour, e.kind === "zone" ? s.fill : 1);
          sw.style.border = "1px solid " + s.colour;
          if (e.kind === "point") sw.style.borderRadius = "50%";
        }
        item.appendChild(sw);
        item.appendChild(document.createTextNode(e.text));
        legend.appendChild(item);
      });
    }

    var bySector = document.getElementById("map-filter-sector");
    var byActor = document.getElementById("map-filter-actor");
    var apply = function () {
      var sv = bySector ? bySector.value : "", av = byActor ? byActor.value : "";
      var keep = function (sector, actors) {
        return (!sv || sector === sv) && (!av || actors.indexOf(av) >= 0);
      };
      var shown = 0;
      items.forEach(function (it) {
        var on = keep(it.p.sector, it.p.actors);
        if (on) shown += 1;
        if (!on) it.layer.closePopup();
        elements(it.layer).forEach(function (e) { e.style.display = on ? "" : "none"; });
      });
      document.querySelectorAll("tr[data-feature]").forEach(function (tr) {
        tr.hidden = !keep(tr.getAttribute("data-sector"), tr.getAttribute("data-actors").split(" "));
      });
      el.setAttribute("data-shown", String(shown));
    };
    [bySector, byActor].forEach(function (s) { if (s) s.addEventListener("change", apply); });
    apply();
    el.setAttribute("data-ready", "true");
  }
})();
