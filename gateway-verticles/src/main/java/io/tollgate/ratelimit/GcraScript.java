package io.tollgate.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua script behind {@link GcraRedisRateLimiter}: {@link Gcra} over all limits of one request, check all
 * first, then update all (a denial consumes from none).
 *
 * <p>KEYS[i]: limit i's TAT (microseconds, as a decimal string). ARGV[1]: {@code ""} to use Redis {@code TIME}
 * (production), or a fixed "now" in microseconds (parity tests only). ARGV[3i-1], ARGV[3i], ARGV[3i+1]:
 * emission interval and tolerance of limit i in microseconds, and {@code 1} if it is enforced ({@code 0}: shadow).
 * Reply: {@code [allowedAll, then per limit: allowed, remaining, retryAfterMicros, resetAfterMicros]}; allowedAll
 * is 0 only when an enforced limit denies. When allowedAll is 1, every limit that allowed stores its new TAT. Keys expire (PX) when their TAT passes: an expired key equals a full one.
 *
 * <p>Numbers: microsecond timestamps (~1.8e15) are exact in Lua's doubles (< 2^53); TATs are written with
 * {@code %.0f} because Lua's {@code tostring} keeps only 14 digits.
 */
final class GcraScript {

  /*
   * TIME before writes is fine because Redis >= 5 replicates scripts by their effects; Redis < 5 would need
   * redis.replicate_commands() first. Tollgate targets Redis >= 6.2.
   */
  static final String SOURCE = """
      local now
      if ARGV[1] == '' then
        local t = redis.call('TIME')
        now = tonumber(t[1]) * 1000000 + tonumber(t[2])
      else
        now = tonumber(ARGV[1])
      end
      local reply = {1}
      local tats = {}
      for i = 1, #KEYS do
        local emission = tonumber(ARGV[3 * i - 1])
        local tolerance = tonumber(ARGV[3 * i])
        local enforced = ARGV[3 * i + 1] == '1'
        local tat = tonumber(redis.call('GET', KEYS[i])) or now
        if tat < now then tat = now end
        local newTat = tat + emission
        local allowAt = newTat - tolerance
        local base = #reply
        if now < allowAt then
          if enforced then reply[1] = 0 end
          reply[base + 1] = 0
          reply[base + 2] = 0
          reply[base + 3] = allowAt - now
          reply[base + 4] = tat - now
        else
          tats[i] = newTat
          reply[base + 1] = 1
          reply[base + 2] = math.floor((now + tolerance - newTat) / emission)
          reply[base + 3] = 0
          reply[base + 4] = newTat - now
        end
      end
      if reply[1] == 1 then
        for i = 1, #KEYS do
          if tats[i] then
            redis.call('SET', KEYS[i], string.format('%.0f', tats[i]), 'PX', math.ceil((tats[i] - now) / 1000))
          end
        end
      end
      return reply
      """;

  static final String SHA1 = sha1(SOURCE);

  private GcraScript() {}

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }
}
