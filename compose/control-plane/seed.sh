#!/bin/sh
# Puts the demo's services, limits and routes (control-plane/<kind>/<id>.json) through gateway-1's Admin API,
# waiting for it to answer first. Idempotent: PUT creates or replaces.
set -eu
ADMIN="http://gateway-1:${MANAGEMENT_PORT}"
until curl -fsS -o /dev/null -H "Authorization: Bearer ${TOLLGATE_ADMIN_KEY}" "$ADMIN/admin/config"; do
  echo "waiting for the Admin API at $ADMIN"; sleep 2
done
for kind in services limits routes; do
  for file in /seed/$kind/*.json; do
    id=$(basename "$file" .json)
    curl -fsS -X PUT -H "Authorization: Bearer ${TOLLGATE_ADMIN_KEY}" -H "Content-Type: application/json" \
      --data-binary "@$file" "$ADMIN/admin/$kind/$id" > /dev/null
    echo "put $kind/$id"
  done
done
