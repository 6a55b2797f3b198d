package io.tollgate.upstream;

import io.tollgate.config.LoadBalancer;
import io.tollgate.config.OutlierDetectionConfig;
import io.tollgate.config.ServiceConfig;
import io.tollgate.config.TargetConfig;
import io.tollgate.config.TimeoutsConfig;
import java.util.ArrayList;
import java.util.List;

/** Services for the picker and outlier tests: targets {@code 10.0.0.<i>:80} with the given weights. */
final class Services {

  private Services() {
  }

  static ServiceConfig service(LoadBalancer lb, OutlierDetectionConfig outliers, int... weights) {
    List<TargetConfig> targets = new ArrayList<>();
    for (int i = 0; i < weights.length; i++) {
      String host = "10.0.0." + (i + 1);
      targets.add(new TargetConfig("http://" + host, false, host, 80, "", weights[i]));
    }
    return new ServiceConfig("svc", targets, TimeoutsConfig.DEFAULT, 8, lb, outliers);
  }
}
