package dev.millrace.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A line-by-line port of processors/healthcare/connections/geo-cells.ts (same cell ids, same
 * neighbourhood), so both sides send each location to the same cells and scan the same candidates.
 */
final class GeoGrid {
  private static final double MIN_RADIUS_M = 6_335_439;
  private static final double METERS_PER_DEGREE_LAT_MIN = 110_574;
  private static final double MARGIN = 1.01;
  private static final double DEG = Math.PI / 180;

  private final double h;
  private final int bands;
  private final double delta;
  private final Map<Integer, Integer> columnCache = new HashMap<>();

  GeoGrid(double maxDistanceMeters, double cellSizeMeters) {
    h = cellSizeMeters / METERS_PER_DEGREE_LAT_MIN;
    bands = (int) Math.ceil(180 / h);
    delta = (maxDistanceMeters * MARGIN) / MIN_RADIUS_M;
  }

  private int bandOf(double lat) {
    return (int) Math.min(bands - 1, Math.max(0, Math.floor((lat + 90) / h)));
  }

  private int columns(int band) {
    return columnCache.computeIfAbsent(band, b -> {
      double edge = Math.min(90, Math.max(Math.abs(b * h - 90), Math.abs((b + 1) * h - 90)));
      return (int) Math.max(1, Math.floor((360 * Math.cos(edge * DEG)) / h));
    });
  }

  private static int columnOf(double lon, int n) {
    return (int) Math.min(n - 1, Math.max(0, Math.floor(((lon + 180) / 360) * n)));
  }

  String homeCell(double lat, double lon) {
    int band = bandOf(lat);
    return band + ":" + columnOf(lon, columns(band));
  }

  List<String> cellsNear(double lat, double lon) {
    double dLat = delta / DEG;
    double latLo = lat - dLat;
    double latHi = lat + dLat;
    double dLon = 360;
    if (latLo > -90 && latHi < 90) {
      double s = Math.sin(delta) / Math.cos(Math.max(Math.abs(latLo), Math.abs(latHi)) * DEG);
      if (s < 1) dLon = (Math.asin(s) / DEG) * MARGIN;
    }
    List<double[]> intervals = new ArrayList<>();
    if (dLon >= 180) intervals.add(new double[] {-180, 180});
    else {
      double lo = lon - dLon;
      double hi = lon + dLon;
      if (lo < -180) {
        intervals.add(new double[] {lo + 360, 180});
        intervals.add(new double[] {-180, hi});
      } else if (hi > 180) {
        intervals.add(new double[] {lo, 180});
        intervals.add(new double[] {-180, hi - 360});
      } else intervals.add(new double[] {lo, hi});
    }
    Set<String> cells = new LinkedHashSet<>();
    for (int band = bandOf(latLo); band <= bandOf(latHi); band++) {
      int n = columns(band);
      for (double[] iv : intervals) {
        for (int c = columnOf(iv[0], n); c <= columnOf(iv[1], n); c++) cells.add(band + ":" + c);
      }
    }
    return new ArrayList<>(cells);
  }
}
