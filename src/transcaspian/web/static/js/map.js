/* The corridor map: Natural Earth countries (world-atlas via topojson-client) as the base map,
 * no tile layer; locations and legs from /api/v1/network.geojson; a side panel that shows the
 * figures of the selected location or leg, each with its sources, fetched from the API.
 * Everything is served by this platform: no CDN, no tile server.
 */
(function () {
  "use strict";

  const API = "/api/v1";
  // Shanghai to Rotterdam, roughly 25-55 N and 0-125 E.
  const CORRIDOR_BOUNDS = [[25, 0], [55, 125]];
  const NO_DATA = "—";

  const KIND_STYLE = {
    seaport: { fillColor: "#1f78b4", radius: 7 },
    rail_terminal: { fillColor: "#e31a1c", radius: 6 },
    border_crossing: { fillColor: "#ff7f00", radius: 6 },
    dry_port: { fillColor: "#33a02c", radius: 7 },
    hub: { fillColor: "#6a3d9a", radius: 6 },
    waypoint: { fillColor: "#bbbbbb", radius: 4 },
  };
  const KIND_LABEL = {
    seaport: "Seaport",
    rail_terminal: "Rail terminal",
    border_crossing: "Border crossing",
    dry_port: "Dry port",
    hub: "Hub",
    waypoint: "Waypoint",
  };
  const ACTIVITY_LABEL = {
    port_handling: "Port handling",
    border_crossing: "Border crossing",
    transshipment: "Transshipment",
    terminal: "Terminal dwell",
  };

  function legStyle(props) {
    switch (props.mode) {
      case "rail":
        return props.gauge_mm === 1435
          ? { color: "#2166ac", weight: 3 }
          : { color: "#b2182b", weight: 3 };
      case "road":
        return { color: "#8c510a", weight: 2.5, dashArray: "1 5", lineCap: "round" };
      case "ferry":
        return { color: "#00897b", weight: 3, dashArray: "8 6" };
      case "sea":
        return { color: "#6a3d9a", weight: 2, dashArray: "4 6", opacity: 0.8 };
      default:
        return { color: "#555555", weight: 2 };
    }
  }

  function modeLabel(props) {
    if (props.mode === "rail") return `rail (${props.gauge_mm} mm)`;
    return props.mode;
  }

  // --- the map ---------------------------------------------------------------------------------

  const mapElement = document.getElementById("map");
  const statusElement = document.getElementById("map-status");
  const panelTitle = document.getElementById("panel-title");
  const panelBody = document.getElementById("panel-body");
  const panel = document.getElementById("panel");
  const corridorFilter = document.getElementById("corridor-filter");

  const map = L.map(mapElement, { worldCopyJump: false, minZoom: 2, maxZoom: 10 });
  // Fit first: adding layers before the view is set makes Leaflet throw.
  map.fitBounds(CORRIDOR_BOUNDS);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Boundaries: Natural Earth (not an endorsement)");
  for (const [name, zIndex] of [["countries", 250], ["legs", 410], ["locations", 420]]) {
    map.createPane(name).style.zIndex = String(zIndex);
  }

  const featuresById = new Map();
  let networkLayer = null;
  let sourcesPromise = null;

  loadCountries();
  loadNetwork("");
  corridorFilter.addEventListener("change", () => loadNetwork(corridorFilter.value));

  async function loadCountries() {
    try {
      const world = await getJSON(mapElement.dataset.countriesUrl);
      const countries = topojson.feature(world, world.objects.countries);
      countries.features = countries.features
        .filter((f) => f.id !== "010") // Antarctica: huge in Web Mercator, off the corridor
        .map(fixAntimeridian);
      L.geoJSON(countries, {
        pane: "countries",
        interactive: false,
        style: { color: "#9aa3ab", weight: 0.6, fillColor: "#f3f0e6", fillOpacity: 1 },
        onEachFeature: (feature, layer) => {
          layer.options.className = "tc-country";
        },
      }).addTo(map);
    } catch (error) {
      setStatus(`Base map not loaded: ${error.message}`);
    }
  }

  // Russia (643) and Fiji (242) cross the antimeridian; shifting their western longitudes by
  // +360 draws them as one piece instead of stripes across the whole map.
  function fixAntimeridian(feature) {
    if (feature.id !== "643" && feature.id !== "242") return feature;
    const shift = (coords) =>
      typeof coords[0] === "number"
        ? [coords[0] < 0 ? coords[0] + 360 : coords[0], coords[1]]
        : coords.map(shift);
    feature.geometry.coordinates = shift(feature.geometry.coordinates);
    return feature;
  }

  async function loadNetwork(corridor) {
    setStatus("Loading the network…");
    const query = corridor ? `?corridor=${encodeURIComponent(corridor)}` : "";
    let collection;
    try {
      collection = await getJSON(`${API}/network.geojson${query}`);
    } catch (error) {
      setStatus(`Network not loaded: ${error.message}`);
      return;
    }
    if (networkLayer) networkLayer.remove();
    networkLayer = L.layerGroup().addTo(map);
    featuresById.clear();
    let locations = 0;
    let legs = 0;
    for (const feature of collection.features) {
      featuresById.set(feature.id, feature);
    }
    for (const feature of collection.features) {
      if (feature.properties.feature_type === "leg") {
        addLeg(feature);
        legs += 1;
      }
    }
    for (const feature of collection.features) {
      if (feature.properties.feature_type === "location") {
        addLocation(feature);
        locations += 1;
      }
    }
    setStatus(`${locations} locations, ${legs} legs`);
  }

  function addLocation(feature) {
    const props = feature.properties;
    const [lon, lat] = feature.geometry.coordinates;
    const style = KIND_STYLE[props.kind] || KIND_STYLE.hub;
    const marker = L.circleMarker([lat, lon], {
      pane: "locations",
      radius: style.radius,
      fillColor: style.fillColor,
      fillOpacity: 0.95,
      color: "#1d2733",
      weight: 1,
      className: `tc-location tc-location--${props.kind}`,
    }).addTo(networkLayer);
    marker.bindTooltip(props.name, { direction: "top", offset: [0, -4] });
    const label = `${props.name} (${KIND_LABEL[props.kind] || props.kind}, ${props.country})`;
    makeSelectable(marker, label, "location", props.location_id, () =>
      showLocation(props.location_id)
    );
  }

  function addLeg(feature) {
    const props = feature.properties;
    const latLngs = feature.geometry.coordinates.map(([lon, lat]) => [lat, lon]);
    const line = L.polyline(latLngs, {
      pane: "legs",
      ...legStyle(props),
      className: `tc-leg tc-leg--${props.mode}`,
    }).addTo(networkLayer);
    const label = `${props.origin_name} – ${props.destination_name}, ${modeLabel(props)}`;
    line.bindTooltip(label, { sticky: true });
    makeSelectable(line, label, "leg", props.leg_id, () => showLeg(props.leg_id));
  }

  function makeSelectable(layer, label, kind, id, select) {
    layer.on("click", select);
    const element = layer.getElement();
    if (!element) return;
    element.setAttribute("role", "button");
    element.setAttribute("tabindex", "0");
    element.setAttribute("aria-label", label);
    element.setAttribute(`data-${kind}-id`, id);
    element.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        select();
      }
    });
  }

  // --- the panel -------------------------------------------------------------------------------

  async function showLocation(locationId) {
    const id = encodeURIComponent(locationId);
    startPanel("Loading…");
    try {
      const [location, capacities, dwellTimes, services, tariffs, sources] = await Promise.all([
        getJSON(`${API}/locations/${id}`),
        getJSON(`${API}/capacities?subject=${id}&limit=500`),
        getJSON(`${API}/dwell-times?location_id=${id}&limit=500`),
        getJSON(`${API}/services?location_id=${id}&limit=500`),
        getJSON(`${API}/tariffs?location_id=${id}&limit=500`),
        getSources(),
      ]);
      startPanel(location.name);
      const code = location.un_locode ? `UN/LOCODE ${location.un_locode}` : `local code ${location.location_id}`;
      subtitle(`${KIND_LABEL[location.kind] || location.kind} · ${location.country} · ${code}`);
      const table = figures("Location");
      row(table, "Position", `${fmtCoord(location.lat, "N", "S")}, ${fmtCoord(location.lon, "E", "W")}`,
        location.source_ids, sources);
      if (location.note) row(table, "Note", location.note, [], sources);

      const capTable = figures("Capacities");
      for (const c of capacities.items) {
        // the note says what the figure measures (whole port, one terminal, oil berths …)
        const what = c.note ? `${capitalise(c.measure)}: ${c.note}` : capitalise(c.measure);
        row(capTable, what, `${fmtNumber(c.value)} ${c.unit} (${c.status}, ${c.year})`,
          c.source_ids, sources);
      }
      if (!capacities.items.length) empty(capTable, "No capacity figure in the dataset.");

      const dwellTable = figures("Dwell and border times");
      for (const d of dwellTimes.items) {
        const what = `${ACTIVITY_LABEL[d.activity] || d.activity}${d.mode ? ` (${d.mode})` : ""}`;
        row(dwellTable, what, fmtDuration(d.duration), d.source_ids, sources);
      }
      if (!dwellTimes.items.length) empty(dwellTable, "No dwell time in the dataset.");

      const serviceTable = figures("Services calling here");
      for (const s of services.items) {
        row(serviceTable, s.name, fmtService(s), s.source_ids, sources);
      }
      if (!services.items.length) empty(serviceTable, "No scheduled service in the dataset.");

      const tariffTable = figures("Through rates from or to here");
      for (const t of tariffs.items) tariffRow(tariffTable, t, sources, true);
      if (!tariffs.items.length) empty(tariffTable, "No published through rate in the dataset.");
      finishPanel();
    } catch (error) {
      failPanel(error);
    }
  }

  async function showLeg(legId) {
    const id = encodeURIComponent(legId);
    startPanel("Loading…");
    try {
      const [leg, tariffs, capacities, sources] = await Promise.all([
        getJSON(`${API}/legs/${id}`),
        getJSON(`${API}/tariffs?scope=leg&scope_ref=${id}&limit=500`),
        getJSON(`${API}/capacities?subject=${id}&limit=500`),
        getSources(),
      ]);
      startPanel(`${nameOf(leg.origin)} – ${nameOf(leg.destination)}`);
      subtitle(`${capitalise(modeLabel(leg))} leg · corridors: ${leg.corridors.join(", ")}`);
      const table = figures("Leg");
      row(table, "Distance", `${fmtNumber(leg.distance_km)} km`, leg.distance_source_ids, sources);
      row(table, "Running time", fmtDuration(leg.running_time), leg.time_source_ids, sources);
      if (leg.note) row(table, "Note", leg.note, [], sources);

      const tariffTable = figures("Tariffs");
      for (const t of tariffs.items) tariffRow(tariffTable, t, sources, false);
      if (!tariffs.items.length) {
        empty(tariffTable, "No tariff for this leg alone; through rates are shown on their end locations.");
      }

      const capTable = figures("Capacities");
      for (const c of capacities.items) {
        row(capTable, capitalise(c.measure), `${fmtNumber(c.value)} ${c.unit} (${c.status}, ${c.year})`,
          c.source_ids, sources);
      }
      if (!capacities.items.length) empty(capTable, "No capacity figure for this leg.");
      finishPanel();
    } catch (error) {
      failPanel(error);
    }
  }

  function startPanel(title) {
    panelTitle.textContent = title;
    panelBody.replaceChildren();
  }

  function finishPanel() {
    panel.focus({ preventScroll: true });
  }

  function failPanel(error) {
    panelTitle.textContent = "Not available";
    panelBody.replaceChildren(element("p", { className: "empty" }, error.message));
  }

  function subtitle(text) {
    panelBody.append(element("p", { className: "subtitle" }, text));
  }

  function figures(heading) {
    panelBody.append(element("h3", {}, heading));
    const table = element("table", { className: "figures" });
    panelBody.append(table);
    return table;
  }

  function row(table, label, value, sourceIds, sources) {
    const cell = element("td", {}, element("span", { className: "figure-value" }, value));
    for (const sourceId of sourceIds) cell.append(sourceNote(sources.get(sourceId), sourceId));
    table.append(element("tr", {}, element("th", { scope: "row" }, label), cell));
  }

  function tariffRow(table, t, sources, withRoute) {
    const range = t.amount_high ? `${fmtNumber(t.amount)}–${fmtNumber(t.amount_high)}` : fmtNumber(t.amount);
    const when = t.valid_on ? ` (${t.valid_on})` : "";
    let label = `Per ${t.unit}`;
    if (withRoute && t.scope === "segment") {
      const [from, to] = t.scope_ref.split(">");
      label = `${nameOf(from)} → ${nameOf(to)}, per ${t.unit}`;
    }
    row(table, label, `${range} ${t.currency}${when}`, t.source_ids, sources);
  }

  function empty(table, text) {
    table.append(element("tr", {}, element("td", { className: "empty", colSpan: 2 }, text)));
  }

  function sourceNote(source, sourceId) {
    const note = element("span", { className: "source" });
    if (!source) {
      note.append(`Source: ${sourceId}`);
      return note;
    }
    if (source.kind === "assumption") {
      note.append("Assumption: ", element("a", { href: `${API}/sources/${encodeURIComponent(sourceId)}` }, source.title));
      if (source.reasoning) note.append(` — ${source.reasoning}`);
      return note;
    }
    const href = source.url || `${API}/sources/${encodeURIComponent(sourceId)}`;
    note.append("Source: ", element("a", { href, target: "_blank", rel: "noopener noreferrer" }, source.title));
    const about = [source.publisher, source.published].filter(Boolean).join(", ");
    if (about) note.append(` (${about})`);
    return note;
  }

  // --- helpers ---------------------------------------------------------------------------------

  async function getJSON(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) {
      let detail = response.statusText;
      try {
        detail = (await response.json()).detail || detail;
      } catch (ignored) {
        // not a problem+json body; keep the status text
      }
      throw new Error(detail);
    }
    return response.json();
  }

  function getSources() {
    if (!sourcesPromise) {
      sourcesPromise = (async () => {
        const byId = new Map();
        for (let offset = 0; ; offset += 500) {
          const page = await getJSON(`${API}/sources?limit=500&offset=${offset}`);
          for (const source of page.items) byId.set(source.source_id, source);
          if (offset + page.items.length >= page.total || !page.items.length) return byId;
        }
      })();
      sourcesPromise.catch(() => {
        sourcesPromise = null;
      });
    }
    return sourcesPromise;
  }

  function nameOf(locationId) {
    const feature = featuresById.get(locationId);
    return feature ? feature.properties.name : locationId;
  }

  function element(tag, props, ...children) {
    const node = document.createElement(tag);
    Object.assign(node, props);
    node.append(...children);
    return node;
  }

  function setStatus(text) {
    statusElement.textContent = text;
  }

  function fmtNumber(value) {
    return Number(value).toLocaleString("en-GB", { maximumFractionDigits: 2 });
  }

  function fmtHours(hours) {
    return hours >= 48 ? `${fmtNumber(hours)} h (${fmtNumber(hours / 24)} d)` : `${fmtNumber(hours)} h`;
  }

  function fmtDuration(d) {
    if (d.p50_h === d.p90_h) return `${fmtHours(d.p50_h)} (fixed)`;
    const minimum = d.min_h > 0 ? ` · min ${fmtHours(d.min_h)}` : "";
    return `P50 ${fmtHours(d.p50_h)} · P90 ${fmtHours(d.p90_h)}${minimum}`;
  }

  function fmtService(s) {
    const parts = [];
    if (s.departures.length) {
      parts.push(s.departures.map((d) => `${d.weekday} ${d.departs_utc} UTC`).join(", "));
    } else if (s.frequency_per_week) {
      parts.push(`${fmtNumber(s.frequency_per_week)} per week`);
    }
    parts.push(`P50 ${fmtHours(s.running_time.p50_h)}`);
    const capacity = [
      s.capacity_teu && `${fmtNumber(s.capacity_teu)} TEU`,
      s.capacity_railcars && `${fmtNumber(s.capacity_railcars)} railcars`,
      s.capacity_trucks && `${fmtNumber(s.capacity_trucks)} trucks`,
    ].filter(Boolean);
    if (capacity.length) parts.push(capacity.join(" / "));
    return parts.join(" · ");
  }

  function fmtCoord(value, positive, negative) {
    return `${Math.abs(value).toFixed(2)}°${value >= 0 ? positive : negative}`;
  }

  function capitalise(text) {
    return text ? text.charAt(0).toUpperCase() + text.slice(1) : text;
  }
})();
