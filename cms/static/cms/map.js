/* The map of a region's partners (cms/templates/cms/region_page.html) and of the regions that
   cooperate (overview_page.html): Leaflet, with
   OpenStreetMap's tiles when the platform is configured for them. The data comes from a JSON
   block in the page; the list of partners beside the map is the page's content, so without
   JavaScript or tiles nothing is lost (the map stays hidden or shows the markers alone). */
(function () {
  "use strict";

  function label(point) {
    var node = document.createElement(point.url ? "a" : "span");
    node.textContent = point.name;
    if (point.url) {
      node.href = point.url;
    }
    return node;
  }

  function draw() {
    var element = document.getElementById("partner-map");
    var source = document.getElementById("partner-map-data");
    if (!element || !source || typeof window.L === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var points = (data.home ? [data.home] : []).concat(data.partners || []);
    (data.lines || []).forEach(function (line) {
      points.push(line.a, line.b);
    });
    if (!points.length) {
      return;
    }
    element.hidden = false;
    var L = window.L;
    var map = L.map(element, { scrollWheelZoom: false });
    if (data.tiles) {
      L.tileLayer(data.tiles, { maxZoom: 12, attribution: data.attribution }).addTo(map);
    } else {
      map.attributionControl.addAttribution(data.attribution);
    }
    var bounds = [];
    (data.partners || []).forEach(function (partner) {
      var at = [partner.lat, partner.lon];
      if (data.home) {
        L.polyline([[data.home.lat, data.home.lon], at], { color: "#1d5b79", weight: 2, opacity: 0.6 }).addTo(map);
      }
      L.circleMarker(at, { radius: 7, color: "#1d5b79", fillColor: "#1d5b79", fillOpacity: 0.85 })
        .bindPopup(label(partner))
        .addTo(map);
      bounds.push(at);
    });
    // The overview: a line between each pair of regions that cooperate, wider for more
    // agreements, and a marker at each seat.
    var largest = Math.max.apply(null, (data.lines || []).map(function (line) { return line.agreements; }).concat([1]));
    (data.lines || []).forEach(function (line) {
      var a = [line.a.lat, line.a.lon];
      var b = [line.b.lat, line.b.lon];
      L.polyline([a, b], { color: "#1d5b79", weight: 2 + 6 * line.agreements / largest, opacity: 0.6 }).addTo(map);
      [line.a, line.b].forEach(function (end) {
        L.circleMarker([end.lat, end.lon], { radius: 6, color: "#1d5b79", fillColor: "#1d5b79", fillOpacity: 0.85 })
          .bindPopup(label(end))
          .addTo(map);
      });
      bounds.push(a, b);
    });
    if (data.home) {
      var home = [data.home.lat, data.home.lon];
      L.circleMarker(home, { radius: 9, color: "#8a1c1c", fillColor: "#8a1c1c", fillOpacity: 0.9 })
        .bindPopup(label(data.home))
        .addTo(map);
      bounds.push(home);
    }
    if (bounds.length === 1) {
      map.setView(bounds[0], 9);
    } else {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 10 });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
