-- A transfer to the treasury from an address the platform holds the key of (the treasury itself, the payout
-- signer, …) is the platform's own money: recorded as rejected with this reason, never credited.
ALTER TYPE "public"."deposit_rejection" ADD VALUE 'platform_sender';
