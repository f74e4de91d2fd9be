-- The core refuses control characters in text (descriptions keep tabs and line breaks). Rows written
-- before that rule are cleaned here, so every stored row still reads back as a valid value.
UPDATE users
SET name = coalesce(nullif(btrim(regexp_replace(name, '[\u0001-\u001f\u007f-\u009f]', ' ', 'g')), ''), 'Unnamed')
WHERE name ~ '[\u0001-\u001f\u007f-\u009f]';

UPDATE appointments
SET title = coalesce(nullif(btrim(regexp_replace(title, '[\u0001-\u001f\u007f-\u009f]', ' ', 'g')), ''), 'Untitled')
WHERE title ~ '[\u0001-\u001f\u007f-\u009f]';

UPDATE appointments
SET location = nullif(btrim(regexp_replace(location, '[\u0001-\u001f\u007f-\u009f]', ' ', 'g')), '')
WHERE location ~ '[\u0001-\u001f\u007f-\u009f]';

UPDATE appointments
SET description = regexp_replace(description, '[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]', ' ', 'g')
WHERE description ~ '[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]';

UPDATE lock_history
SET reason = nullif(btrim(regexp_replace(reason, '[\u0001-\u001f\u007f-\u009f]', ' ', 'g')), '')
WHERE reason ~ '[\u0001-\u001f\u007f-\u009f]';

UPDATE lock_history
SET user_info = jsonb_set(user_info, '{position}',
        to_jsonb(regexp_replace(user_info ->> 'position', '[\u0001-\u001f\u007f-\u009f]', ' ', 'g')))
WHERE user_info ->> 'position' ~ '[\u0001-\u001f\u007f-\u009f]';

UPDATE appointment_locks
SET user_info = jsonb_set(user_info, '{position}',
        to_jsonb(regexp_replace(user_info ->> 'position', '[\u0001-\u001f\u007f-\u009f]', ' ', 'g')))
WHERE user_info ->> 'position' ~ '[\u0001-\u001f\u007f-\u009f]';
