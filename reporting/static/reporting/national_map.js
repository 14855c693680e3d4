/* The map of which kabupaten/kota reported (reporting/templates/reporting/national/_map.html):
   Leaflet, a marker at each region's seat coloured by its state, with OpenStreetMap's tiles when
   the platform is configured for them. The tables per province below it are the page's
   content, so without JavaScript or tiles nothing is lost (the map stays hidden). */
(function () {
  "use strict";

  function draw() {
    var element = document.getElementById("national-map");
    var source = document.getElementById("national-map-data");
    if (!element || !source || typeof window.L === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    if (!data.points.length) {
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
    data.points.forEach(function (point) {
      var colour = data.colours[point.state] || "#666666";
      var at = [point.lat, point.lon];
      var label = document.createElement("span");
      label.textContent = point.name + ": " + data.labels[point.state];
      L.circleMarker(at, { radius: 5, color: colour, fillColor: colour, fillOpacity: 0.85, weight: 1 })
        .bindPopup(label)
        .addTo(map);
      bounds.push(at);
    });
    map.fitBounds(bounds, { padding: [16, 16], maxZoom: 9 });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
