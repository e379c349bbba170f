-- Fetch errors of the kinds a hostile or misbehaving site produces, each named on its
-- own in the catalog and a round's summary instead of 'other': a body that decodes
-- past the cap, one cut short, an unreadable response, a redirect loop, a 429 asking
-- to wait, and a request off the outlet's domains (recorded on the page pointing there).
ALTER TABLE fetch_errors DROP CONSTRAINT IF EXISTS fetch_errors_kind_check;
ALTER TABLE fetch_errors ADD CONSTRAINT fetch_errors_kind_check
    CHECK (kind IN ('dns', 'refused', 'timeout', 'http_4xx', 'http_5xx', 'throttled', 'too_large',
                    'too_large_decoded', 'truncated', 'bad_response', 'offsite', 'redirect_loop',
                    'robots', 'other'));
