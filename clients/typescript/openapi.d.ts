// The Backfill API as TypeScript types, generated from its OpenAPI document (lib/api/openapi.ts)
// by `npm run client:generate`. Do not edit: a unit test fails when this file and the document differ.

export interface paths {
    "/api/v1/account/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Low-balance threshold */
        patch: operations["updateAccountSettings"];
        trace?: never;
    };
    "/api/v1/agent/heartbeat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Heartbeat
         * @description Status, GPU telemetry and one report per lease (progress, checkpoint, log lines, completion), each with its fencing token. A report with a stale token, or for a lease that has ended, changes nothing and earns nothing; the reply's `cancellations` tell the agent to stop it. The reply also carries new assignments. An agent older than the marketplace’s minimum version is answered 426, and nothing of its heartbeat counts.
         */
        post: operations["heartbeat"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/agent/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Register a node
         * @description Consumes the registration token; answers the node token (shown once) and the heartbeat timing. An agent older than the marketplace’s minimum version is refused with 426 and the token stays unused.
         */
        post: operations["registerNode"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/agent/release": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The node agent to install
         * @description The bundled node agent this marketplace serves — one file that needs only Node.js 20 or later — with its version, sha256 and size, its download URL (`/agent/backfill-agent.mjs`, with the digest at `/agent/backfill-agent.mjs.sha256`), and the oldest agent version the marketplace accepts. 404 when the agent has not been built on this server. Public; `Cache-Control: public, no-cache`.
         */
        get: operations["getAgentRelease"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/agent/uploads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Upload an output or a checkpoint of a held lease
         * @description Only for a lease the node holds now (its fencing token, the attempt still active; 409 otherwise). Returns a signed PUT for exactly these bytes; the quota of the job’s owner applies.
         */
        post: operations["agentCreateUpload"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/agent/uploads/{id}/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Acknowledge an upload (keeps a checkpoint)
         * @description Checks the bytes in the store. A checkpoint that covers more than the job’s current one is kept: the job resumes from it after a failover, and the time up to it is charged. Older checkpoints are deleted.
         */
        post: operations["agentCompleteUpload"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List API keys */
        get: operations["listApiKeys"];
        put?: never;
        /**
         * Create an API key
         * @description The key is in this answer only; it is stored as a hash. Needs a wallet session.
         */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API key */
        delete: operations["revokeApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign out
         * @description Revokes the session on the server and clears the cookie.
         */
        post: operations["signOut"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/nonce": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Get a sign-in nonce
         * @description A single-use nonce (valid 10 minutes) and the domain, URI and chains the signed message must name.
         */
        post: operations["createSignInNonce"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who is signed in */
        get: operations["getSession"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in with a signed message
         * @description Verifies the EIP-4361 message (domain, URI, chain, nonce, expiry, signer) and sets the session cookie. The account is created on first sign-in.
         */
        post: operations["signIn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/balance": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Balances */
        get: operations["getBalance"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/chain": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The chain deposits arrive on
         * @description Chain id, USDC contract, treasury address and required confirmations.
         */
        get: operations["getChain"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/chain/rpc": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * JSON-RPC for the dashboard
         * @description Forwards read methods and `eth_sendRawTransaction` to the configured node (single or batch of up to 20). On the local test chain only, also the signing methods of the local test wallets.
         */
        post: operations["chainRpc"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deposits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your deposits */
        get: operations["listDeposits"];
        put?: never;
        /**
         * Submit a deposit transaction
         * @description After your wallet sent `USDC.transfer(treasury, amount)`, submit the transaction hash. The server reads the receipt and Transfer log itself and credits the amount in the log once it has the required confirmations. Rejections have a named reason. Transfers made outside the dashboard are found by the indexer.
         */
        post: operations["submitDeposit"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deposits/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One deposit */
        get: operations["getDeposit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/files": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your inputs and outputs, and your storage use */
        get: operations["listFiles"];
        put?: never;
        /**
         * Start an input upload
         * @description Reserves the size against your storage quota (409 when it is full) and returns a short-lived signed URL that accepts exactly these bytes. PUT them there, with the given headers, then call `…/complete`.
         */
        post: operations["createInputFile"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/files/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One file, with a short-lived download URL */
        get: operations["getFile"];
        put?: never;
        post?: never;
        /**
         * Delete a file
         * @description Deletes the bytes. An input a queued or running job still reads, or an output of a running job, is kept (409). A job’s receipt keeps the names and digests of its outputs.
         */
        delete: operations["deleteFile"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/files/{id}/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Finish an input upload
         * @description Checks that the store holds exactly the announced bytes (size and sha256) and makes the input ready for jobs. 409 while nothing has arrived; 422 when other bytes did (they are discarded). Safe to repeat.
         */
        post: operations["completeInputFile"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/files/{id}/download": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download a file
         * @description Redirects (303) to a short-lived signed URL for the bytes.
         */
        get: operations["downloadFile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Whether this instance’s process answers
         * @description Touches nothing but the process: 200 while it serves, 503 once it is draining after SIGTERM (it finishes the requests in flight and ends event streams with a reconnect hint). `Cache-Control: no-store`.
         */
        get: operations["getLiveness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Whether this instance should be sent traffic
         * @description Ready when the process is not draining, the database answers, every migration this build ships is applied, the chain RPC answers (when one is configured), and no background loop is stalled — some worker (`npm run worker`, or the web process’s embedded one) must be running them. Every check is listed with each loop’s last success and error. The checks run at most once a second per instance (concurrent probes share them; draining shows at once). `Cache-Control: no-store`.
         */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your jobs */
        get: operations["listJobs"];
        put?: never;
        /**
         * Launch a job
         * @description Validates the spec, holds the budget from your available balance (402 when it is not there) and queues the job, atomically. Safe to retry with the same `Idempotency-Key`.
         */
        post: operations["launchJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One job, with its attempts */
        get: operations["getJob"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a job
         * @description At any point. Heartbeat-backed time up to now is charged; the rest of the hold returns to your balance.
         */
        post: operations["cancelJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Job events after an id */
        get: operations["listJobEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{id}/logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download the job’s log */
        get: operations["downloadJobLogs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{id}/receipt": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The signed job receipt
         * @description Spec hash, the nodes and GPU serials of every attempt, metered and forfeited time, charges and ledger postings, signed by the marketplace (EIP-191). Verify with viem `verifyMessage({ address: signer, message: payload, signature })`. 404 until the job has ended.
         */
        get: operations["getJobReceipt"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{id}/rerun": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Re-run suspect work
         * @description For a finished job whose `suspect` notice is set (a node that ran it was quarantined afterwards; its suspect attempts were refunded): launches a new job with the same spec and budget, held from your balance, resuming from the last checkpoint written before the first suspect attempt (or from the start). A pin to the quarantined node is dropped. 409 when nothing is suspect, the job still runs, or it was re-run already; 402 when the balance does not cover the budget.
         */
        post: operations["rerunJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{id}/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live job events (Server-Sent Events)
         * @description Each message: `id` (the event id), `event` (its type), `data` (the JobEvent JSON). Resumes after the `Last-Event-ID` header (EventSource sends it on reconnect) or `?after=`; no event is lost or repeated.
         */
        get: operations["streamJobEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledger": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Ledger entries
         * @description Postings on your accounts, newest first, one keyset page at a time.
         */
        get: operations["listLedgerEntries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledger/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Ledger as CSV */
        get: operations["exportLedger"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Headline figures and the list of metrics
         * @description The trailing 30 days (paid GPU-hours, paid demand, incentives, subsidy ratio, take rate, job success, time to schedule), the latest complete month (paying customers, net revenue retention), verified GPUs online now, whether the data is the simulated demo network and how far its generated history has got. Public and cacheable: `Cache-Control: public, max-age=30, stale-while-revalidate=60` (the rollups behind it are refreshed every 30 seconds). The server answers from a cache renewed when the rollups are refreshed; each answer carries a strong `ETag`, and a request naming it in `If-None-Match` is answered 304 with no body while it is current.
         */
        get: operations["getMetricsSummary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/metrics/{metric}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One metric over a date range
         * @description Rows per period (UTC day, week from Monday, or month) between `from` and `to` inclusive, with the methodology and the column definitions. Customer metrics (paying customers, cohort retention, net revenue retention, top-10 share) are monthly. `format=csv` (or `Accept: text/csv`) answers CSV with a header of the column keys. Metrics: `paid-gpu-hours` (Paid GPU-hours), `demand-vs-incentives` (Paid demand vs incentives), `take-rate` (Take rate), `paying-customers` (Unique paying customers), `cohort-retention` (Monthly cohort retention), `net-revenue-retention` (Net revenue retention), `top-customer-share` (Top-10 customer share), `verified-utilization` (Utilization of verified supply), `verified-gpus-online` (Verified GPUs online), `job-outcomes` (Job outcomes), `time-to-schedule` (Time to schedule), `reconciliation` (Deposits and payouts reconciled to chain), `self-dealing` (Self-dealing, excluded). Public and cacheable: `Cache-Control: public, max-age=30, stale-while-revalidate=60` (the rollups behind it are refreshed every 30 seconds). The server answers from a cache renewed when the rollups are refreshed; each answer carries a strong `ETag`, and a request naming it in `If-None-Match` is answered 304 with no body while it is current. JSON and CSV have ETags of their own, and both answers vary on `Accept`.
         */
        get: operations["getMetric"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/metrics/chain-reconciliation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The ledger reconciled with the chain, transfer by transfer
         * @description Read from the chain itself, not from the deposit and payout records: the treasury’s USDC balance and every USDC Transfer log into and out of the treasury from the configured start block to the head. Against it the ledger’s deposit credits (each must have its transfer in, same transaction, log index and amount), its settled payouts (each must have its transfer out) and its simulated funding (the demo network’s ledger-only money: listed as simulated, never matched). Every difference is listed: an unbacked credit, an amount mismatch, a transfer in that never reached the ledger (with its deposit record’s state), a payout without a transfer, a transfer out that is no payout, and the treasury’s balance against its opening balance plus transfers in less transfers out. Mints, the platform’s own money and the treasury paying itself are explained; a deposit within its confirmations or a payout being confirmed is pending. `status` is `failed` when any difference is unexplained, `unavailable` (with `message`) when no chain is configured or it could not be read. Public and cacheable for 30 seconds (`Cache-Control: public, max-age=30, stale-while-revalidate=60`).
         */
        get: operations["getChainReconciliation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/metrics/exports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Manifest of the daily raw exports
         * @description Every closed UTC day whose raw, pseudonymous rows (charges, ended jobs, first placements, incentive epochs, deposits, payouts) are published, with the sha256 of its file, the hash chain linking it to the previous day and the marketplace key’s EIP-191 signature of the entry. With them anyone can recompute every metric: `npm run metrics:verify -- --url <marketplace>` (docs/metrics.md). Public and cacheable: `Cache-Control: public, max-age=30, stale-while-revalidate=60` (the rollups behind it are refreshed every 30 seconds).
         */
        get: operations["getMetricsExports"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/metrics/exports/{day}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One day’s raw export
         * @description The file (JSON, format `backfill-metrics-export/3`, documented in docs/metrics.md), byte for byte as hashed in the manifest; its sha256 is also in the `X-Content-SHA256` header. A published day never changes: `Cache-Control: public, max-age=86400, immutable`.
         */
        get: operations["getMetricsExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/metrics/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * How far the simulated network’s history has been generated
         * @description Null when the network has no generated history (a real network). The pages poll it while the history generates, so their progress moves without a reload. Public, `Cache-Control: no-store`.
         */
        get: operations["getDemoHistoryStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/nodes/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One node
         * @description Hardware, 30-day uptime by day, reliability, verification history, price and its market band.
         */
        get: operations["getNode"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Set a node’s price
         * @description Owner only (another account’s node is a 404). The market offer shows the new price at once; jobs already placed keep the price they locked.
         */
        patch: operations["updateNodePrice"];
        trace?: never;
    };
    "/api/v1/nodes/registration-tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Get a one-time node registration token
         * @description For `npm run agent -- --token …` on a new machine. Single use, valid one hour.
         */
        post: operations["createNodeRegistrationToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/offers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Search offers
         * @description GPUs that can be rented now, filtered and sorted, one keyset page at a time. Pass `nextCursor` back as `cursor` with the same filters and sort to get the next page; pages never repeat or skip an offer, even when sort values tie. Served from a cache that is never older than a second (free GPUs are live): `Cache-Control: public, max-age=1, stale-while-revalidate=2`, with an `ETag` to revalidate with `If-None-Match` (304 when unchanged).
         */
        get: operations["searchOffers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/offers/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Supply now, by GPU model
         * @description Nodes and GPUs online, verified GPUs, and P10 / median / P90 price per GPU-hour for each model. Served from a cache that is never older than a second: `Cache-Control: public, max-age=5, stale-while-revalidate=10`, with an `ETag` to revalidate with `If-None-Match` (304 when unchanged).
         */
        get: operations["summarizeOffers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/payouts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your payouts */
        get: operations["listPayouts"];
        put?: never;
        /**
         * Withdraw payable earnings
         * @description Reserves the amount and sends it on-chain from the treasury to your wallet. Safe to retry with the same `Idempotency-Key`; a server crash mid-send never sends twice.
         */
        post: operations["requestPayout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/payouts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One payout */
        get: operations["getPayout"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/quotes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Quote a job
         * @description Offers that can run the spec now, the best few by expected cost (price × estimated hours on that GPU model from the reference throughput table, weighed by reliability), the estimated range, and — when signed in — whether your balance covers the budget.
         */
        post: operations["quoteJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/receipts/signer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The receipt-signing address */
        get: operations["getReceiptSigner"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/statements/{month}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Monthly statement
         * @description Your statement for a calendar month (UTC), from the ledger: for each of your ledger accounts the balance at the start, what moved it by kind of transaction (deposits, holds and charges of jobs, releases, refunds, withdrawals, payouts, earnings) and the balance at the end. As CSV (`format=csv`), every posting of the month with the balance after it, between each account’s opening and closing balance.
         */
        get: operations["getStatement"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/storage/objects/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download through a signed URL (embedded store)
         * @description Only as handed out by the API: the query carries the signature, which names this method on this key until it expires. Supports a single byte range. With an S3 bucket configured, signed URLs point at the bucket.
         */
        get: operations["getStoredObject"];
        /**
         * Upload through a signed URL (embedded store)
         * @description Exactly the signed size and sha256, or nothing is kept (422).
         */
        put: operations["putStoredObject"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/supplier/earnings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Your earnings
         * @description Paid work (your share of captured charges, USDC) and incentives (network tokens, with their USD value at emission) per UTC day and per node over a range of at most 366 days (default: the last 30), with totals and your balances: payable, payout pending, held (quarantine) and incentives. Canary jobs are unpaid checks and never appear.
         */
        get: operations["getSupplierEarnings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/supplier/earnings/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Earnings as CSV
         * @description One row per capture of paid work and per epoch reward of each node: `date, at, kind (paid | incentive), node_id, node_name, job_id, amount, currency (USDC | INCENTIVE), usd_value, usd_price, ledger_transaction_id`. Amounts are exact decimals; `usd_price` is the USD price per token at emission (1 for USDC).
         */
        get: operations["exportSupplierEarnings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/supplier/nodes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Your nodes
         * @description Status, GPUs, 30-day uptime (and per day), utilization, verification, the market band of the GPU model, the estimated monthly earnings at the observed utilization, and earnings today and over 30 days. Newest first, one keyset page at a time.
         */
        get: operations["listSupplierNodes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/supplier/payouts/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Payouts as CSV
         * @description Payouts requested in the range: `payout_id, requested_at, confirmed_at, state, amount, currency, usd_value, chain_id, to_address, tx_hash, explorer_url, failure_reason`.
         */
        get: operations["exportSupplierPayouts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/withdrawals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your withdrawals */
        get: operations["listWithdrawals"];
        put?: never;
        /**
         * Withdraw unused balance
         * @description Sets the amount aside from your available balance (never from what running jobs hold) and sends it on-chain from the treasury to the wallet you signed in with, through the same machinery as payouts. More than the available balance is 402 and nothing is recorded. Safe to retry with the same `Idempotency-Key`; a failed transfer returns the amount to your available balance.
         */
        post: operations["requestWithdrawal"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/withdrawals/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One withdrawal */
        get: operations["getWithdrawal"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AccountSettings: {
            /** @description Warn below this available balance; null turns the warning off. */
            lowBalanceThresholdMicros: string | null;
        };
        /** @description An EVM address. */
        Address: string;
        AgentAssignment: {
            /** Format: uuid */
            attemptId: string;
            command: string[];
            env: {
                [key: string]: string;
            };
            fencingToken: number;
            gpuIndexes: number[];
            image: string;
            /** @description Files to download, verify and place in the input directory before the workload starts. */
            inputs: components["schemas"]["AgentAssignmentInput"][];
            /** Format: uuid */
            jobId: string;
            /** @description Where to resume (units 0 and checkpoint null: from the start). */
            resumeFrom: {
                /** @description The kept checkpoint to download into the checkpoint directory first. */
                checkpoint: {
                    /** @description Relative path in the input directory. */
                    name: string;
                    sha256: string;
                    sizeBytes: number;
                    /** @description Where to GET it: a short-lived signed URL, or the customer’s https URL. */
                    url: string;
                } | null;
                /** @description The kept checkpoint file’s name (null: from the start). */
                ref: string | null;
                units: number;
            };
            template: components["schemas"]["JobTemplate"];
            workUnits: number;
        };
        AgentAssignmentInput: {
            /** @description Relative path in the input directory. */
            name: string;
            /** @description The bytes must hash to it (null: an unverified URL). */
            sha256: string | null;
            sizeBytes: number | null;
            /** @description Where to GET it: a short-lived signed URL, or the customer’s https URL. */
            url: string;
        };
        AgentCancellation: {
            /** Format: uuid */
            attemptId: string;
            /**
             * @description Stop the workload; a stale or lost lease earns nothing more.
             * @enum {string}
             */
            reason: "cancelled" | "out_of_budget" | "lease_lost" | "stale_token";
        };
        AgentHeartbeatRequest: {
            /** @description The agent’s semantic version, e.g. 0.1.0. */
            agentVersion?: string;
            /** @description The GPU proof of an earlier reply, phase by phase: ack at once, commit when computed, reveal when asked. */
            benchmark?: {
                /** Format: uuid */
                challengeId: string;
                /**
                 * @description Sent at once when a challenge arrives: the clock starts.
                 * @enum {string}
                 */
                phase: "ack";
            } | {
                /** Format: uuid */
                challengeId: string;
                /** @enum {string} */
                phase: "commit";
                /** @description The Merkle root over every round's leaf: the clock stops. */
                root: string;
            } | {
                /** Format: uuid */
                challengeId: string;
                /** @enum {string} */
                phase: "reveal";
                /** @description The rounds the reply asked for. */
                reveals: components["schemas"]["AgentProofReveal"][];
            } | {
                /** Format: uuid */
                challengeId: string;
                /** @enum {string} */
                phase: "unsupported";
                /** @description This agent cannot run the GPU proof (no GPU engine): the node is listed as declared. */
                reason: string;
            };
            /** @default [] */
            leases?: components["schemas"]["AgentLeaseReport"][];
            /**
             * @description draining: finish current leases, take no new ones.
             * @default online
             * @enum {string}
             */
            status?: "online" | "draining";
            /** @default [] */
            telemetry?: components["schemas"]["GpuTelemetry"][];
        };
        AgentHeartbeatResponse: {
            /** @description Leases to start (repeated until reported). */
            assignments: components["schemas"]["AgentAssignment"][];
            /** @description A benchmark challenge to run now on the idle GPUs (repeated until answered); null when there is none. */
            benchmark: {
                /** Format: uuid */
                challengeId: string;
                /** @description The inner dimension (columns of A_r, rows of B). */
                k: number;
                /** @description GPUs to spread the rounds over (round r on GPU r mod lanes). */
                lanes: number;
                /** @description Rows of A_r and columns of B (docs/verification.md). */
                m: number;
                /** @description How long an honest GPU of the claimed model takes; the server times acknowledgement to commit. */
                referenceMs: number;
                /** @description Once the root arrived: the rounds to reveal (untimed). Null before. */
                reveal: number[] | null;
                /** @description Products C_r = A_r·B to compute and commit to. */
                rounds: number;
                /** @description 16 bytes of hex: every matrix of the GPU proof derives from it. */
                seed: string;
            } | null;
            cancellations: components["schemas"]["AgentCancellation"][];
            heartbeatIntervalMs: number;
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            serverTime: string;
        };
        AgentLeaseReport: {
            /** Format: uuid */
            attemptId: string;
            error?: string;
            exitCode?: number;
            fencingToken: number;
            /** @default [] */
            logs?: components["schemas"]["AgentLogLine"][];
            progressUnits: number;
            /** @description With `completed`: the result the workload printed (`BACKFILL_RESULT <sha256 hex>`), recorded on the receipt. */
            result?: string;
            /**
             * @description running while the workload runs; completed or failed once it has exited.
             * @enum {string}
             */
            state: "running" | "completed" | "failed";
        };
        AgentLogLine: {
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            at: string;
            /** @enum {string} */
            stream: "stdout" | "stderr" | "agent";
            /** @description The line as printed; NUL and unpaired surrogates are stored as U+FFFD. */
            text: string;
        };
        AgentProofReveal: {
            /** @description base64 of the round's fingerprint vector: m little-endian uint32. */
            fingerprint: string;
            /** @description The Merkle path from the round's leaf to the root, leaf level first. */
            path: string[];
            round: number;
        };
        AgentRegisterRequest: {
            /** @description The agent’s semantic version, e.g. 0.1.0. */
            agentVersion?: string;
            bandwidthMbps: number;
            cpuCores: number;
            cudaVersion: string;
            diskGb: number;
            gpus: components["schemas"]["RegisteredGpu"][];
            /**
             * @default pcie
             * @enum {string}
             */
            interconnect?: "nvlink" | "pcie";
            name: string;
            /**
             * @description Amount in micro-USDC (1 USDC = 1,000,000), as an integer string.
             * @example 250000000
             */
            pricePerGpuHourMicros: string;
            ramGb: number;
            /** @enum {string} */
            region: "us-east" | "us-central" | "us-west" | "ca-central" | "sa-east" | "eu-west" | "eu-central" | "eu-north" | "uk-south" | "ap-northeast" | "ap-southeast" | "ap-south" | "oc-southeast" | "af-south";
            registrationToken: string;
        };
        AgentRegisterResponse: {
            heartbeatIntervalMs: number;
            lostAfterMs: number;
            /** Format: uuid */
            nodeId: string;
            /** @description Shown once: authenticates every heartbeat (Bearer). */
            nodeToken: string;
        };
        AgentRelease: {
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            builtAt: string;
            /** @description The agent: one ES module that runs with Node.js 20 or later. */
            downloadUrl: string;
            /** @description Agents older than this are refused (426); null: any version is accepted. */
            minimumVersion: string | null;
            /** @description Of the package served at `packageUrl`. */
            packageSha256: string;
            /** @description The same file as an npm package (its `backfill-agent` bin), for `npx <packageUrl>`. */
            packageUrl: string;
            /** @description Of the file served at `downloadUrl`. */
            sha256: string;
            /** @description Its digest in `sha256sum` format. */
            sha256Url: string;
            sizeBytes: number;
            /** @description The bundled agent’s version. */
            version: string;
        };
        AgentUpload: {
            /** Format: uuid */
            fileId: string;
            upload: components["schemas"]["SignedTransfer"];
        };
        AgentUploadAcknowledged: {
            /** Format: uuid */
            fileId: string;
            /** @description Checkpoints: true when it became the job’s checkpoint (the work up to it is now charged and kept). */
            kept: boolean;
        };
        AgentUploadComplete: {
            fencingToken: number;
        };
        AgentUploadRequest: {
            /** Format: uuid */
            attemptId: string;
            fencingToken: number;
            /** @enum {string} */
            kind: "output" | "checkpoint";
            /**
             * @description A relative path such as `scene.json` or `frames/frame-0001.png`.
             * @example scene.json
             */
            name: string;
            /**
             * @description sha256 of the bytes, lowercase hex.
             * @example 5f3c8b2e9a41d07c6e1b9f2a8d4c3e7b0a1f6d5c2b8e9a7f4c3d2e1b0a9f8e7d
             */
            sha256: string;
            /** @example 1048576 */
            sizeBytes: number;
            /** @description Checkpoints: the work units it covers (required). */
            units?: number;
        };
        ApiKey: {
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            createdAt: string;
            /** Format: uuid */
            id: string;
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            lastUsedAt: string | null;
            name: string;
            /** @description The first characters of the key, to tell keys apart. */
            prefix: string;
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            revokedAt: string | null;
            /** @description What the key may do. */
            scopes: components["schemas"]["ApiKeyScope"][];
        };
        ApiKeyList: {
            items: components["schemas"]["ApiKey"][];
        };
        /**
         * @description read: GET your resources; jobs: quote, launch, cancel, re-run, files; supplier: nodes, offers, registration tokens; billing: deposits, settings, payouts.
         * @enum {string}
         */
        ApiKeyScope: "read" | "jobs" | "supplier" | "billing";
        /** @enum {string} */
        AttemptState: "assigned" | "running" | "completed" | "host_lost" | "preempted" | "failed" | "cancelled" | "out_of_budget";
        Balance: {
            /** @description Spendable now. */
            availableMicros: string;
            /** @description Available is below the threshold. */
            lowBalance: boolean;
            lowBalanceThresholdMicros: components["schemas"]["Micros"];
            /** @description Supplier earnings not yet paid out. */
            payableMicros: string;
            /** @description Earnings on their way on-chain. */
            payoutPendingMicros: string;
            /** @description Held for running or queued jobs. */
            reservedMicros: string;
            /** @description How long the available balance lasts at the current spend rate. */
            runway: {
                burnMicrosPerHour: components["schemas"]["Micros"];
                hours: number | null;
                /** @enum {string} */
                state: "no_running_jobs" | "estimated";
            };
            /** @description Unused balance withdrawn and on its way on-chain to your wallet. */
            withdrawalPendingMicros: string;
        };
        ChainInfo: {
            chainId: number;
            confirmations: number;
            explorerUrl: string | null;
            /** @description The embedded test chain: test USDC, no real value. */
            isLocal: boolean;
            /** @description LOCAL CHAIN ONLY: unlocked development accounts usable without a wallet extension. */
            localTestWallets: {
                address: components["schemas"]["Address"];
                label: string;
            }[];
            name: string;
            /** @description The same-origin JSON-RPC endpoint the dashboard uses (a proxy to the configured node). */
            rpcUrl: string;
            treasuryAddress: components["schemas"]["Address"];
            usdcAddress: components["schemas"]["Address"];
            walletConnectProjectId: string | null;
        };
        ChainReconciliation: {
            chain: {
                balanceMatches: boolean;
                /** @description The treasury’s USDC balance (`balanceOf`) at `toBlock`. */
                balanceMicros: string;
                chainId: number;
                /** @description Opening balance + transfers in − transfers out. */
                expectedBalanceMicros: string;
                fromBlock: string;
                name: string;
                /** @description Transfers in less transfers out, leaving out the explained and pending ones: what the ledger’s deposits less payouts must equal. */
                netMicros: string;
                /** @description The treasury’s USDC balance just before `fromBlock` (0 from block 0). */
                openingBalanceMicros: string;
                toBlock: string;
                transfersIn: components["schemas"]["ReconciliationTotal"];
                transfersOut: components["schemas"]["ReconciliationTotal"];
                treasuryAddress: string;
                usdcAddress: string;
            } | null;
            /** Format: date-time */
            checkedAt: string;
            counts: {
                explained: number;
                failures: number;
                pending: number;
            };
            /** @description Every failure and pending item, one by one (up to `limit`; `omitted` counts the rest). */
            differences: components["schemas"]["ReconciliationDifference"][];
            /** @description Transfers that are nobody’s deposit or payout, with why (up to `limit`). */
            explained: components["schemas"]["ReconciliationDifference"][];
            ledger: {
                /** @description Deposit credits (kind `deposit`) in the scanned range. */
                deposits: {
                    count: number;
                    /** @description USDC in micro-units (6 decimals), as a string. */
                    totalMicros: string;
                };
                /** @description Deposits less payouts and withdrawals. */
                netMicros: string;
                /** @description Settled payouts of supplier earnings (kind `payout`). */
                payouts: {
                    count: number;
                    /** @description USDC in micro-units (6 decimals), as a string. */
                    totalMicros: string;
                };
                /** @description Ledger-only funding of the simulated demo network (kind `simulated_funding`): no transfer is behind it, never matched to the chain. */
                simulatedFunding: {
                    count: number;
                    /** @description USDC in micro-units (6 decimals), as a string. */
                    totalMicros: string;
                };
                /** @description Ledger-only withdrawals of the simulated demo network’s suppliers (kind `simulated_payout`): no transfer is behind them, never matched to the chain. */
                simulatedPayouts: {
                    count: number;
                    /** @description USDC in micro-units (6 decimals), as a string. */
                    totalMicros: string;
                };
                /** @description Settled withdrawals of customers’ unused balance to their wallets (kind `withdrawal`). */
                withdrawals: {
                    count: number;
                    /** @description USDC in micro-units (6 decimals), as a string. */
                    totalMicros: string;
                };
            } | null;
            ledgerMatchesChain: boolean | null;
            limit: number;
            message: string;
            omitted: number;
            /**
             * @description `failed` when any unexplained difference exists; `unavailable` when no chain is configured or it could not be read (see `message`).
             * @enum {string}
             */
            status: "ok" | "failed" | "unavailable";
        };
        CreateApiKeyRequest: {
            /**
             * @description A label for the key.
             * @example notebook
             */
            name: string;
            /**
             * @description What the key may do; omitted → read, jobs.
             * @default [
             *       "read",
             *       "jobs"
             *     ]
             */
            scopes?: components["schemas"]["ApiKeyScope"][];
        };
        CreatedApiKey: {
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            createdAt: string;
            /** Format: uuid */
            id: string;
            /** @description The secret key. Shown once; only its hash is stored. */
            key: string;
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            lastUsedAt: string | null;
            name: string;
            /** @description The first characters of the key, to tell keys apart. */
            prefix: string;
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            revokedAt: string | null;
            /** @description What the key may do. */
            scopes: components["schemas"]["ApiKeyScope"][];
        };
        CreateFileRequest: {
            contentType?: string;
            /**
             * @description A relative path such as `scene.json` or `frames/frame-0001.png`.
             * @example scene.json
             */
            name: string;
            /**
             * @description sha256 of the bytes, lowercase hex.
             * @example 5f3c8b2e9a41d07c6e1b9f2a8d4c3e7b0a1f6d5c2b8e9a7f4c3d2e1b0a9f8e7d
             */
            sha256: string;
            /** @example 1048576 */
            sizeBytes: number;
        };
        /** @description The simulated network’s generated history: its span, how far generation has got, and what it made so far. */
        DemoHistoryStatus: {
            customers: number;
            /** Format: date-time */
            finishedAt: string | null;
            /** Format: date-time */
            fromAt: string;
            /** Format: date-time */
            generatedThrough: string;
            jobs: number;
            progress: number;
            /** Format: date-time */
            startedAt: string;
            /** @enum {string} */
            state: "generating" | "complete" | "failed";
            /** Format: date-time */
            toAt: string;
        } | null;
        DemoHistoryStatusResponse: {
            history: components["schemas"]["DemoHistoryStatus"];
        };
        Deposit: {
            /** @description Read from the Transfer log; null when rejected early. */
            amountMicros: string | null;
            blockNumber: string | null;
            chainId: number;
            /** @description Blocks on top of (and including) the transfer block. */
            confirmations: number;
            confirmationsRequired: number;
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            createdAt: string;
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            creditedAt: string | null;
            /** @description The transaction on the chain's explorer; null on the local chain. */
            explorerUrl: string | null;
            fromAddress: components["schemas"]["Address"] | null;
            /** Format: uuid */
            id: string;
            logIndex: number | null;
            rejection: components["schemas"]["DepositRejection"];
            /** @description The rejection in words, for people; null unless rejected. */
            rejectionMessage: string | null;
            /**
             * @description Submitted in the dashboard, or found by the indexer.
             * @enum {string}
             */
            source: "dashboard" | "indexer";
            state: components["schemas"]["DepositState"];
            txHash: components["schemas"]["TxHash"];
        };
        DepositPage: {
            items: components["schemas"]["Deposit"][];
            /** @description Pass as `cursor` for the next page; null at the end. */
            nextCursor: string | null;
        };
        /**
         * @description Why a rejected deposit was not credited. `platform_sender`: sent from an address the platform controls (the treasury itself, the payout signer, …): the platform’s own money, never credited to anyone.
         * @enum {string|null}
         */
        DepositRejection: "transaction_failed" | "transaction_not_found" | "not_usdc" | "wrong_recipient" | "wrong_chain" | "amount_mismatch" | "sender_mismatch" | "reorged" | "platform_sender" | null;
        /**
         * @description seen → confirmed → credited; or rejected (see `rejection`); unattributed = from an unknown wallet.
         * @enum {string}
         */
        DepositState: "seen" | "confirmed" | "credited" | "rejected" | "unattributed";
        EarningsAmounts: {
            incentiveMicros: components["schemas"]["TokenMicros"];
            /** @description The incentives’ USD value at emission. */
            incentiveUsdMicros: string;
            /** @description Your share of paid customer work, in micro-USDC (after the platform fee). */
            paidMicros: string;
            /** @description paid + incentives at their USD value at emission. */
            totalUsdMicros: string;
        };
        /** @description An empty JSON object (the body may also be omitted). */
        EmptyBody: Record<string, never>;
        /** @description Every error has this shape. */
        Error: {
            error: {
                /** @enum {string} */
                code: "bad_request" | "unauthorized" | "payment_required" | "forbidden" | "not_found" | "method_not_allowed" | "conflict" | "unsupported_media_type" | "unprocessable" | "upgrade_required" | "rate_limited" | "internal";
                /** @description The offending input fields, for validation errors. */
                fields?: {
                    field: string;
                    message: string;
                }[];
                message: string;
            };
        };
        /** @enum {string} */
        FileKind: "input" | "output" | "checkpoint";
        FilePage: {
            items: components["schemas"]["StoredFile"][];
            nextCursor: string | null;
            usage: components["schemas"]["StorageUsage"];
        };
        FileUpload: {
            file: components["schemas"]["StoredFile"];
            /** @description PUT exactly `sizeBytes` bytes hashing to `sha256` here, then call …/complete. */
            upload: {
                /**
                 * Format: date-time
                 * @description ISO 8601 timestamp.
                 */
                expiresAt: string;
                /** @description Headers the request must carry exactly as given (they are signed). */
                headers: {
                    [key: string]: string;
                };
                /** @enum {string} */
                method: "GET" | "PUT";
                /** @description Short-lived URL for exactly this transfer (no other credential). */
                url: string;
            };
        };
        /**
         * @description GPU model identifier.
         * @enum {string}
         */
        GpuModelId: "h200-141gb" | "h100-80gb" | "a100-80gb" | "a100-40gb" | "l40s-48gb" | "l4-24gb" | "rtx-a6000-48gb" | "rtx-4090-24gb" | "rtx-3090-24gb";
        GpuModelSummary: {
            gpuModel: components["schemas"]["GpuModelId"];
            gpuName: string;
            /** @description Free GPUs across listed offers. */
            gpusAvailable: number;
            medianPriceMicros: string | null;
            nodesListed: number;
            p10PriceMicros: string | null;
            p90PriceMicros: string | null;
            relativeThroughput: number;
            vramGb: number;
        };
        GpuTelemetry: {
            index: number;
            memoryUsedMb: number;
            powerW: number;
            temperatureC: number;
            utilizationPct: number;
        };
        /**
         * @description UTC days, weeks starting on Monday, or calendar months.
         * @enum {string}
         */
        Granularity: "day" | "week" | "month";
        HealthCheck: {
            detail: string;
            /** @enum {string} */
            name: "lifecycle" | "database" | "migrations" | "chain" | "worker-loops";
            ok: boolean;
        };
        Job: {
            attemptCount: number;
            budgetMicros: components["schemas"]["Micros"];
            /** @description Spend rate while running; 0 otherwise. */
            burnMicrosPerHour: string;
            chargedMicros: components["schemas"]["Micros"];
            checkpointUnits: number;
            command: string[];
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            createdAt: string;
            currentAttempt: components["schemas"]["JobAttempt"];
            /** @description Variable names; values are not echoed back. */
            envKeys: string[];
            /** @description From the recent rate; null when unknown. */
            etaSeconds: number | null;
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            finishedAt: string | null;
            /** @description Budget still held. */
            heldMicros: string;
            /** Format: uuid */
            id: string;
            image: string;
            inputs: components["schemas"]["JobInput"][];
            name: string;
            /** @description What the finished job wrote, as uploaded and verified (kept even after deletion). */
            outputs: components["schemas"]["JobOutput"][];
            pendingChargeMicros: components["schemas"]["Micros"];
            /** @description 0–1. */
            progress: number;
            progressUnits: number;
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            queuedAt: string;
            releasedMicros: components["schemas"]["Micros"];
            requirements: {
                gpuCount: number;
                gpuModels: string[];
                maxPricePerGpuHourMicros: components["schemas"]["Micros"];
                minVramGb: number;
                /** Format: uuid */
                nodeId: string | null;
                region: string | null;
            };
            /**
             * Format: uuid
             * @description The suspect job this one re-runs.
             */
            rerunOfJobId: string | null;
            simulated: boolean;
            specHash: string;
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            startedAt: string | null;
            state: components["schemas"]["JobState"];
            stateReason: string | null;
            /** @description Set when a node that ran this job was quarantined afterwards: its attempts since its last passed benchmark are suspect and refunded (docs/verification.md). Null otherwise. */
            suspect: {
                /**
                 * Format: date-time
                 * @description When work of this job was found suspect.
                 */
                at: string;
                /** @description The suspect attempts’ numbers. */
                attempts: number[];
                /** @description Returned to the available balance. */
                refundedMicros: string;
                /**
                 * Format: uuid
                 * @description The re-run, once launched.
                 */
                rerunJobId: string | null;
                /** @description Progress a re-run resumes from: the last checkpoint written before the first suspect attempt. */
                trustedCheckpointUnits: number;
                /** @description Charged for suspect attempts and not refunded (neither held earnings nor fees covered it). */
                uncoveredMicros: string;
            } | null;
            template: components["schemas"]["JobTemplate"];
            unit: string;
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            updatedAt: string;
            workUnits: number;
        };
        JobAttempt: {
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            assignedAt: string;
            chargedMicros: components["schemas"]["Micros"];
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            endedAt: string | null;
            endReason: string | null;
            feeMicros: components["schemas"]["Micros"];
            /** @description Time lost with a vanished host: never charged. */
            forfeitedMs: number;
            gpuIndexes: number[];
            gpuModel: string;
            gpuSerials: string[];
            /** Format: uuid */
            id: string;
            /** @description Heartbeat-backed time charged. */
            meteredMs: number;
            /** Format: uuid */
            nodeId: string;
            nodeName: string;
            number: number;
            /** @description Heartbeat-backed time not yet settled (since the last checkpoint). */
            pendingMs: number;
            pricePerGpuHourMicros: components["schemas"]["Micros"];
            region: string;
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            runningAt: string | null;
            state: components["schemas"]["AttemptState"];
            supplierMicros: components["schemas"]["Micros"];
            /**
             * Format: date-time
             * @description Set when its node was quarantined afterwards: the attempt is refunded.
             */
            suspectAt: string | null;
        } | null;
        JobDetail: {
            attemptCount: number;
            attempts: components["schemas"]["JobAttempt"][];
            budgetMicros: components["schemas"]["Micros"];
            /** @description Spend rate while running; 0 otherwise. */
            burnMicrosPerHour: string;
            chargedMicros: components["schemas"]["Micros"];
            checkpointUnits: number;
            command: string[];
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            createdAt: string;
            currentAttempt: components["schemas"]["JobAttempt"];
            /** @description Variable names; values are not echoed back. */
            envKeys: string[];
            /** @description From the recent rate; null when unknown. */
            etaSeconds: number | null;
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            finishedAt: string | null;
            /** @description Budget still held. */
            heldMicros: string;
            /** Format: uuid */
            id: string;
            image: string;
            inputs: components["schemas"]["JobInput"][];
            name: string;
            /** @description What the finished job wrote, as uploaded and verified (kept even after deletion). */
            outputs: components["schemas"]["JobOutput"][];
            pendingChargeMicros: components["schemas"]["Micros"];
            /** @description 0–1. */
            progress: number;
            progressUnits: number;
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            queuedAt: string;
            receiptAvailable: boolean;
            releasedMicros: components["schemas"]["Micros"];
            requirements: {
                gpuCount: number;
                gpuModels: string[];
                maxPricePerGpuHourMicros: components["schemas"]["Micros"];
                minVramGb: number;
                /** Format: uuid */
                nodeId: string | null;
                region: string | null;
            };
            /**
             * Format: uuid
             * @description The suspect job this one re-runs.
             */
            rerunOfJobId: string | null;
            simulated: boolean;
            specHash: string;
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            startedAt: string | null;
            state: components["schemas"]["JobState"];
            stateReason: string | null;
            /** @description Set when a node that ran this job was quarantined afterwards: its attempts since its last passed benchmark are suspect and refunded (docs/verification.md). Null otherwise. */
            suspect: {
                /**
                 * Format: date-time
                 * @description When work of this job was found suspect.
                 */
                at: string;
                /** @description The suspect attempts’ numbers. */
                attempts: number[];
                /** @description Returned to the available balance. */
                refundedMicros: string;
                /**
                 * Format: uuid
                 * @description The re-run, once launched.
                 */
                rerunJobId: string | null;
                /** @description Progress a re-run resumes from: the last checkpoint written before the first suspect attempt. */
                trustedCheckpointUnits: number;
                /** @description Charged for suspect attempts and not refunded (neither held earnings nor fees covered it). */
                uncoveredMicros: string;
            } | null;
            template: components["schemas"]["JobTemplate"];
            unit: string;
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            updatedAt: string;
            workUnits: number;
        };
        JobEvent: {
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            createdAt: string;
            data: {
                [key: string]: unknown;
            };
            /** @description Increasing; the SSE id. */
            id: number;
            /** Format: uuid */
            jobId: string;
            /** @enum {string} */
            type: "queued" | "scheduled" | "running" | "progress" | "checkpoint" | "log" | "telemetry" | "charged" | "attempt_ended" | "requeued" | "cancel_requested" | "succeeded" | "failed" | "cancelled" | "out_of_budget" | "suspect" | "rerun";
        };
        JobEventPage: {
            items: components["schemas"]["JobEvent"][];
            lastId: number;
        };
        JobInput: {
            /** Format: uuid */
            fileId: string | null;
            name: string;
            sha256: string | null;
            sizeBytes: number | null;
            url: string | null;
        };
        JobInputSpec: {
            /**
             * Format: uuid
             * @description A ready input file of yours.
             */
            fileId: string;
            /**
             * @description Where the workload finds it; the file’s own name by default.
             * @example scene.json
             */
            name?: string;
        } | {
            /**
             * @description A relative path such as `scene.json` or `frames/frame-0001.png`.
             * @example scene.json
             */
            name: string;
            /**
             * @description When given, the agent refuses other bytes.
             * @example 5f3c8b2e9a41d07c6e1b9f2a8d4c3e7b0a1f6d5c2b8e9a7f4c3d2e1b0a9f8e7d
             */
            sha256?: string;
            /**
             * Format: uri
             * @description An https URL the agent downloads before the workload starts.
             */
            url: string;
        };
        JobOutput: {
            /** Format: uuid */
            fileId: string;
            name: string;
            sha256: string;
            sizeBytes: number;
        };
        JobPage: {
            items: components["schemas"]["Job"][];
            /** @description Pass as `cursor` for the next page; null at the end. */
            nextCursor: string | null;
        };
        JobReceipt: {
            /** @description Signed amendments, oldest first: issued when a node that ran the job is quarantined afterwards. Each names the receipt it amends (its signature and payload sha256) and lists the suspect attempts and their refunds; it verifies like the receipt. */
            amendments: components["schemas"]["ReceiptAmendment"][];
            /** @description The canonical JSON that was signed (EIP-191 personal message). */
            payload: string;
            /** @description The payload, parsed. */
            receipt: {
                [key: string]: unknown;
            };
            signature: string;
            /** @description The marketplace's receipt-signing address. */
            signer: string;
        };
        JobRequirements: {
            /** @description GPUs on one node. */
            gpuCount: number;
            /**
             * @description Accepted GPU models; empty accepts any.
             * @default []
             */
            gpuModels?: ("h200-141gb" | "h100-80gb" | "a100-80gb" | "a100-40gb" | "l40s-48gb" | "l4-24gb" | "rtx-a6000-48gb" | "rtx-4090-24gb" | "rtx-3090-24gb")[];
            /**
             * @description Amount in micro-USDC (1 USDC = 1,000,000), as an integer string.
             * @example 250000000
             */
            maxPricePerGpuHourMicros?: string;
            /** @default 0 */
            minVramGb?: number;
            /**
             * Format: uuid
             * @description Run only on this node (from its market page).
             */
            nodeId?: string;
            /** @enum {string} */
            region?: "us-east" | "us-central" | "us-west" | "ca-central" | "sa-east" | "eu-west" | "eu-central" | "eu-north" | "uk-south" | "ap-northeast" | "ap-southeast" | "ap-south" | "oc-southeast" | "af-south";
        };
        /**
         * @example {
         *       "name": "frames 1-8",
         *       "template": "render",
         *       "image": "node:20-slim",
         *       "command": [
         *         "node",
         *         "$(BACKFILL_INPUT_DIR)/render.mjs"
         *       ],
         *       "workUnits": 8,
         *       "inputs": [
         *         {
         *           "fileId": "7d1f7f1e-3c4b-4a8e-9b61-2f0c5d9e8a41",
         *           "name": "render.mjs"
         *         }
         *       ],
         *       "requirements": {
         *         "gpuModels": [
         *           "l4-24gb"
         *         ],
         *         "gpuCount": 1
         *       },
         *       "budgetMicros": "2000000"
         *     }
         */
        JobSpec: {
            /**
             * @description Budget cap, held from the available balance.
             * @example 250000000
             */
            budgetMicros: string;
            command: string[];
            /** @default {} */
            env?: {
                [key: string]: string;
            };
            image: string;
            /**
             * @description Files the workload reads: downloaded and verified by the agent before it starts, in `$BACKFILL_INPUT_DIR` (read-only; `/backfill/input` in a container).
             * @default []
             */
            inputs?: components["schemas"]["JobInputSpec"][];
            name: string;
            requirements: components["schemas"]["JobRequirements"];
            template: components["schemas"]["JobTemplate"];
            /** @description Units of the template's work (tokens, steps, frames, work-seconds). */
            workUnits: number;
        };
        /** @enum {string} */
        JobState: "queued" | "scheduled" | "running" | "succeeded" | "failed" | "cancelled" | "out_of_budget";
        /** @enum {string} */
        JobTemplate: "llm_inference" | "lora_finetune" | "multi_gpu_training" | "render" | "custom";
        /** @enum {string} */
        LedgerAccountKind: "customer_available" | "customer_reserved" | "supplier_payable" | "supplier_incentives" | "supplier_payout_pending" | "customer_withdrawal_pending" | "supplier_held" | "platform_fees" | "external";
        LedgerEntry: {
            account: components["schemas"]["LedgerAccountKind"];
            /** @description Positive: into this account; negative: out of it. */
            amountMicros: string;
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            createdAt: string;
            /** @enum {string} */
            currency: "usdc" | "incentive";
            /** @description Posting id (increasing). */
            id: string;
            kind: components["schemas"]["LedgerTransactionKind"];
            memo: string;
            /** Format: uuid */
            transactionId: string;
        };
        LedgerPage: {
            items: components["schemas"]["LedgerEntry"][];
            /** @description Pass as `cursor` for the next page; null at the end. */
            nextCursor: string | null;
        };
        /** @enum {string} */
        LedgerTransactionKind: "deposit" | "hold" | "capture" | "release" | "payout_reserve" | "payout" | "payout_reversal" | "incentive" | "earnings_hold" | "refund" | "correction" | "simulated_funding" | "simulated_payout" | "withdrawal_reserve" | "withdrawal" | "withdrawal_reversal";
        Liveness: {
            /** @enum {string} */
            status: "ok" | "draining";
        };
        LoopHealth: {
            consecutiveFailures: number;
            intervalMs: number;
            lastError: string | null;
            /** Format: date-time */
            lastSuccessAt: string | null;
            name: string;
            /**
             * @description stalled: no run finished for twice its period (at least 5 s) and a minute; failing: its last three runs or more failed; retired: silent for a day, not judged.
             * @enum {string}
             */
            state: "ok" | "failing" | "stalled" | "retired";
            /** @description The worker (host and process id) that ran it last. */
            workerId: string;
        };
        /** @description P10 / median / P90 price per GPU-hour of listed offers of the same GPU model (`percentile_disc`: real listed prices); null when none is listed. */
        MarketBand: {
            medianPriceMicros: components["schemas"]["Micros"];
            /** @description Listed offers of the model the percentiles are taken over. */
            offers: number;
            p10PriceMicros: components["schemas"]["Micros"];
            p90PriceMicros: components["schemas"]["Micros"];
        };
        MetricColumn: {
            key: string;
            label: string;
            /** @enum {string} */
            type: "date" | "text" | "count" | "integer" | "micros" | "number" | "ratio" | "boolean";
            unit?: string;
        };
        /** @enum {string} */
        MetricId: "paid-gpu-hours" | "demand-vs-incentives" | "take-rate" | "paying-customers" | "cohort-retention" | "net-revenue-retention" | "top-customer-share" | "verified-utilization" | "verified-gpus-online" | "job-outcomes" | "time-to-schedule" | "reconciliation" | "self-dealing";
        MetricInfo: {
            granularities: components["schemas"]["Granularity"][];
            id: components["schemas"]["MetricId"];
            methodology: string;
            summary: string;
            title: string;
        };
        MetricsDataExtent: {
            /** @description First UTC day with records; null before any. */
            firstDay: string | null;
            /** @description Last UTC day the rollups reflect; null before any. */
            lastDay: string | null;
            /** @description Days of the demo history not generated yet (from inclusive, to exclusive); null when none. */
            notGenerated: {
                from: string;
                to: string;
            } | null;
        };
        MetricSeries: {
            columns: components["schemas"]["MetricColumn"][];
            /** @description When the default range leaves out older records: the sentence saying so (the range starts after the network’s first record); null otherwise. */
            cut: string | null;
            from: string;
            granularity: components["schemas"]["Granularity"];
            metric: components["schemas"]["MetricInfo"];
            /**
             * Format: date-time
             * @description Raw records up to this instant are reflected; null before the first refresh.
             */
            refreshedAt: string | null;
            rows: {
                [key: string]: string | number | boolean | null;
            }[];
            /** @description True when the data comes from the simulated demo network. */
            simulated: boolean;
            snapshot?: components["schemas"]["VerifiedRecencyBucket"][];
            to: string;
        };
        MetricsExportEntry: {
            /** @description sha256 of the 32 bytes of previousChainHash followed by the 32 bytes of sha256, hex. */
            chainHash: string;
            /** @description The UTC day (YYYY-MM-DD) whose records the file holds. */
            day: string;
            /** @description The previous day’s chain hash (64 zeros for the first day). */
            previousChainHash: string;
            /** @description Rows per section of the file. */
            rowCounts: {
                [key: string]: number;
            };
            /** @description sha256 of the file’s bytes, hex. */
            sha256: string;
            /** @description EIP-191 signature (personal_sign) of the lines “Backfill metrics export”, “day: …”, “sha256: …”, “previous: …”, “chain: …”, joined by newlines. */
            signature: string;
            /** @description The marketplace key’s address (GET /api/v1/receipts/signer). */
            signer: string;
            /** @description Where the file is served. */
            url: string;
        };
        MetricsExportManifest: {
            days: components["schemas"]["MetricsExportEntry"][];
            /** @description The files’ format (`backfill-metrics-export/3`). */
            format: string;
            /** @description The marketplace key’s address. */
            signer: string;
            /** @description Whether this marketplace is the simulated demo network: the `simulated` column of every published metric row. A setting of the deployment, not a fact of the rows, so it is stated here rather than in the files. */
            simulated: boolean;
        };
        MetricsHeadline: {
            /** @description Platform fees (USDC) of the window. */
            feeMicros: string;
            /** @description Incentives (USD at emission) ÷ platform fees; above 1 the network spends more on incentives than it earns in fees. */
            incentivesToFees: number | null;
            incentiveUsdMicros: components["schemas"]["Micros"];
            jobsEnded: number;
            /** @description (succeeded + host failure recovered) ÷ ended. */
            jobSuccessRate: number | null;
            /** @description Platform fees − incentives (USD); negative when incentives exceed fees. */
            marginMicros: string;
            month: string;
            /** @description Month over month: charges in M of the customers who paid in M−1 ÷ their charges in M−1. */
            netRevenueRetention: number | null;
            /** @description 12-month NRR of the latest complete month M: charges over M−11…M of the customers who paid over M−23…M−12 ÷ their charges then; null with under 24 months of records. */
            netRevenueRetention12m: number | null;
            /** @description Same month a year later: charges in M of the customers who paid in M−12 ÷ their charges in M−12; null unless month M−12 is wholly on record. */
            netRevenueRetentionYearAgo: number | null;
            nrr12BaseMicros: components["schemas"]["Micros"];
            nrr12RetainedMicros: components["schemas"]["Micros"];
            paidDemandMicros: components["schemas"]["Micros"];
            paidGpuHours: number;
            payingCustomers: number;
            /** @description First UTC day with records; null before any. */
            recordsFrom: string | null;
            /** @description Self-dealt charges of the window, left out of paid demand. */
            selfDealtChargedMicros: string;
            /** @description Self-dealt GPU-hours of the window, left out of the figures above. */
            selfDealtGpuHours: number;
            /** @description Self-dealt customer jobs ended in the window, left out of the success rate. */
            selfDealtJobs: number;
            subsidyRatio: number | null;
            takeRate: number | null;
            timeToScheduleP50Seconds: number | null;
            verifiedGpusOnline: number;
            windowFrom: string;
            windowTo: string;
            yearAgoBaseMicros: components["schemas"]["Micros"];
            yearAgoRetainedMicros: components["schemas"]["Micros"];
        };
        MetricsSummary: {
            extent: components["schemas"]["MetricsDataExtent"];
            headline: components["schemas"]["MetricsHeadline"];
            history: components["schemas"]["DemoHistoryStatus"];
            metrics: components["schemas"]["MetricInfo"][];
            /** Format: date-time */
            refreshedAt: string | null;
            rules: string;
            simulated: boolean;
            tokenPrice: components["schemas"]["TokenReferencePrice"];
        };
        /** @description Amount in micro-USDC (1 USDC = 1,000,000), as an integer string. */
        Micros: string | null;
        NodeDetail: {
            /** Format: date-time */
            createdAt: string;
            hardware: {
                bandwidthMbps: number;
                cpuCores: number;
                cudaVersion: string;
                diskGb: number;
                gpuCount: number;
                gpuModel: string;
                gpuName: string;
                gpus: {
                    index: number;
                    model: string;
                    serial: string;
                    vramGb: number;
                }[];
                /** @enum {string} */
                interconnect: "nvlink" | "pcie";
                ramGb: number;
                relativeThroughput: number;
                vramGb: number;
            };
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            lastHeartbeatAt: string | null;
            /** @description Price band of listed offers of the same GPU model. */
            market: {
                gpuModel: components["schemas"]["GpuModelId"];
                gpuName: string;
                /** @description Free GPUs across listed offers. */
                gpusAvailable: number;
                medianPriceMicros: string | null;
                nodesListed: number;
                p10PriceMicros: string | null;
                p90PriceMicros: string | null;
                relativeThroughput: number;
                vramGb: number;
            };
            name: string;
            /** @description What the node offers now; null when it is not listed. */
            offer: {
                bandwidthMbps: number;
                /** @description CPU cores on the host. */
                cpuCores: number;
                /**
                 * @description CUDA version of the host’s driver.
                 * @example 12.4
                 */
                cudaVersion: string;
                /** @description The node’s agent cannot run the GPU proof: its hardware is only declared, never verified. Listed only with `verified=false`; the scheduler gives it only jobs pinned to it (`nodeId`). */
                declared: boolean;
                /** @description Free disk on the host for job data, in GB. */
                diskGb: number;
                freeGpus: number;
                gpuCount: number;
                gpuModel: components["schemas"]["GpuModelId"];
                gpuName: string;
                /** @enum {string} */
                interconnect: "nvlink" | "pcie";
                /** @description Those jobs: completed or lost with the host, last 30 days. */
                jobsFinished: number;
                /** @description Of the customer jobs placed on this node that ended there in the last 30 days, the share that completed rather than being lost with the host (0–1); a workload’s own failure, a cancellation or a spent budget does not count either way. Null before any. */
                jobSuccessRate: number | null;
                /** Format: uuid */
                nodeId: string;
                /** @description Price per GPU-hour in micro-USDC (integer string). */
                priceMicros: string;
                /** @description Price per reference GPU-hour of work (A100 80GB = 1.0) in micro-USDC: price ÷ relative throughput of the model. */
                pricePerWorkMicros: string;
                /** @description Host RAM, in GB. */
                ramGb: number;
                region: components["schemas"]["RegionId"];
                regionName: string;
                /** @description Share of the last 30 days the node was up (0–1). */
                reliability: number;
                /**
                 * @description How the check at `verifiedAt` was made: `benchmark` (the timed GPU proof: matrix products from a server seed, spot-checked, within the claimed GPU model’s time bound) or `canary` (a job with a known answer, mixed into the node’s work); null when unverified.
                 * @enum {string|null}
                 */
                verificationMethod: "benchmark" | "canary" | null;
                verified: boolean;
                /**
                 * Format: date-time
                 * @description When the hardware last passed a check (benchmark or canary job); null when unverified.
                 */
                verifiedAt: string | null;
                vramGb: number;
            } | null;
            /** @description Price per GPU-hour in micro-USDC. */
            priceMicros: string;
            pricePerWorkMicros: string;
            /** @description Set while the node is quarantined after failing verification: it is hidden from the market and takes no jobs. Null otherwise. */
            quarantine: {
                /**
                 * Format: date-time
                 * @description When the node was quarantined.
                 */
                at: string;
                reason: string;
            } | null;
            region: string;
            regionName: string;
            /** @description Share of the last 30 days the node was up (0–1). */
            reliability: number;
            /** @enum {string} */
            status: "online" | "busy" | "offline" | "lost" | "quarantined";
            /** Format: date-time */
            statusSince: string;
            /** @description Per-UTC-day uptime for the last 30 days; null before the node existed. */
            uptime30d: {
                /** Format: date */
                day: string;
                uptime: number | null;
            }[];
            verification: {
                /** @description Every recorded verdict of the node, by method. */
                counts: {
                    benchmark: {
                        failed: number;
                        passed: number;
                    };
                    canary: {
                        failed: number;
                        passed: number;
                    };
                };
                /** @description Benchmarks and canary jobs, newest first (at most 50). */
                history: components["schemas"]["VerificationRecord"][];
                /** @description The most recent check, passed or failed; null before the first. */
                lastCheck: {
                    /** Format: date-time */
                    at: string;
                    /** @description The verdict in words, as recorded. */
                    detail: string;
                    /** @description Upper end of the band. */
                    expectedMax: number;
                    /** @description Lower end of the band the score had to reach. */
                    expectedMin: number;
                    /** @description Benchmark: measured throughput relative to the A100 80GB (= 1.0). Canary: 1 when the job returned its known answer, 0 when it did not. */
                    measuredScore: number;
                    method: components["schemas"]["VerificationMethod"];
                    /** @enum {string} */
                    result: "pass" | "fail";
                } | null;
                /**
                 * Format: date-time
                 * @description When the hardware last passed a check; null unless the state is `verified`.
                 */
                lastVerifiedAt: string | null;
                /**
                 * @description How that passing check was made; null unless the state is `verified`.
                 * @enum {string|null}
                 */
                lastVerifiedMethod: "benchmark" | "canary" | null;
                /**
                 * @description `failed` once the node failed a check (it is then quarantined); never `verified` then. `declared`: its agent cannot run the GPU proof, so its hardware is only declared (never shown as verified).
                 * @enum {string}
                 */
                state: "unverified" | "verified" | "failed" | "declared";
            };
        };
        NodeEarnings: {
            incentiveMicros: components["schemas"]["TokenMicros"];
            /** @description The incentives’ USD value at emission. */
            incentiveUsdMicros: string;
            /**
             * Format: uuid
             * @description Null for paid work not attributable to a node.
             */
            nodeId: string | null;
            nodeName: string | null;
            /** @description Your share of paid customer work, in micro-USDC (after the platform fee). */
            paidMicros: string;
            /** @description paid + incentives at their USD value at emission. */
            totalUsdMicros: string;
        };
        NodeRegistrationToken: {
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            expiresAt: string;
            /** @description Shown once; single use. */
            registrationToken: string;
        };
        /** @description GPUs a node can rent now. */
        Offer: {
            bandwidthMbps: number;
            /** @description CPU cores on the host. */
            cpuCores: number;
            /**
             * @description CUDA version of the host’s driver.
             * @example 12.4
             */
            cudaVersion: string;
            /** @description The node’s agent cannot run the GPU proof: its hardware is only declared, never verified. Listed only with `verified=false`; the scheduler gives it only jobs pinned to it (`nodeId`). */
            declared: boolean;
            /** @description Free disk on the host for job data, in GB. */
            diskGb: number;
            freeGpus: number;
            gpuCount: number;
            gpuModel: components["schemas"]["GpuModelId"];
            gpuName: string;
            /** @enum {string} */
            interconnect: "nvlink" | "pcie";
            /** @description Those jobs: completed or lost with the host, last 30 days. */
            jobsFinished: number;
            /** @description Of the customer jobs placed on this node that ended there in the last 30 days, the share that completed rather than being lost with the host (0–1); a workload’s own failure, a cancellation or a spent budget does not count either way. Null before any. */
            jobSuccessRate: number | null;
            /** Format: uuid */
            nodeId: string;
            /** @description Price per GPU-hour in micro-USDC (integer string). */
            priceMicros: string;
            /** @description Price per reference GPU-hour of work (A100 80GB = 1.0) in micro-USDC: price ÷ relative throughput of the model. */
            pricePerWorkMicros: string;
            /** @description Host RAM, in GB. */
            ramGb: number;
            region: components["schemas"]["RegionId"];
            regionName: string;
            /** @description Share of the last 30 days the node was up (0–1). */
            reliability: number;
            /**
             * @description How the check at `verifiedAt` was made: `benchmark` (the timed GPU proof: matrix products from a server seed, spot-checked, within the claimed GPU model’s time bound) or `canary` (a job with a known answer, mixed into the node’s work); null when unverified.
             * @enum {string|null}
             */
            verificationMethod: "benchmark" | "canary" | null;
            verified: boolean;
            /**
             * Format: date-time
             * @description When the hardware last passed a check (benchmark or canary job); null when unverified.
             */
            verifiedAt: string | null;
            vramGb: number;
        };
        OfferPage: {
            data: components["schemas"]["Offer"][];
            /** @description Cursor for the next page; null on the last page. */
            nextCursor: string | null;
        };
        /** @description Supply available now, with price percentiles per GPU model. */
        OfferSummary: {
            /** Format: date-time */
            generatedAt: string;
            gpusAvailable: number;
            gpusOnline: number;
            models: components["schemas"]["GpuModelSummary"][];
            nodesOnline: number;
            /** @description True when the network is the simulated demo network. */
            simulated: boolean;
            verifiedGpusOnline: number;
        };
        Payout: {
            amountMicros: components["schemas"]["Micros"];
            chainId: number;
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            confirmedAt: string | null;
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            createdAt: string;
            explorerUrl: string | null;
            failureReason: string | null;
            /** Format: uuid */
            id: string;
            source: components["schemas"]["PayoutSource"];
            state: components["schemas"]["PayoutState"];
            toAddress: components["schemas"]["Address"];
            txHash: components["schemas"]["TxHash"] | null;
        };
        PayoutPage: {
            items: components["schemas"]["Payout"][];
            /** @description Pass as `cursor` for the next page; null at the end. */
            nextCursor: string | null;
        };
        /**
         * @description supplier_earnings: a supplier's payable earnings (a payout); customer_balance: a customer's unused available balance (a withdrawal).
         * @enum {string}
         */
        PayoutSource: "supplier_earnings" | "customer_balance";
        /**
         * @description requested → signed → sent → confirmed, or failed (the amount returns to the balance it came from).
         * @enum {string}
         */
        PayoutState: "requested" | "signed" | "sent" | "confirmed" | "failed";
        Quote: {
            /** @description Range over the best matches; null when nothing matches now. */
            estimate: {
                costMaxMicros: components["schemas"]["Micros"];
                costMinMicros: components["schemas"]["Micros"];
                hoursMax: number;
                hoursMin: number;
            } | null;
            /** @description Offers that can run the job now. */
            matchingOffers: number;
            /** @description Best matches in the order the scheduler would choose them: lowest expected cost divided by the node's 30-day reliability (at least 0.25), times 0.9 more for an unverified node, first. `estimatedCostMicros` is the cost before that adjustment, so a steadier node can come first. */
            options: components["schemas"]["QuoteOption"][];
            /** @description Against the caller’s balance; null when not signed in. */
            runway: {
                availableMicros: components["schemas"]["Micros"];
                /** @description The budget covers the high end of the estimate. */
                budgetCoversEstimate: boolean | null;
                /** @description The balance covers the budget. */
                budgetFits: boolean | null;
                budgetMicros: components["schemas"]["Micros"];
            } | null;
            /** @description What workUnits count. */
            unit: string;
        };
        QuoteOption: {
            estimatedCostMicros: components["schemas"]["Micros"];
            estimatedHours: number;
            freeGpus: number;
            gpuModel: string;
            /** Format: uuid */
            nodeId: string;
            /** @description Per GPU-hour. */
            priceMicros: string;
            region: string;
            reliabilityBp: number;
            verified: boolean;
        };
        /**
         * @example {
         *       "name": "frames 1-8",
         *       "template": "render",
         *       "image": "node:20-slim",
         *       "command": [
         *         "node",
         *         "$(BACKFILL_INPUT_DIR)/render.mjs"
         *       ],
         *       "workUnits": 8,
         *       "inputs": [
         *         {
         *           "fileId": "7d1f7f1e-3c4b-4a8e-9b61-2f0c5d9e8a41",
         *           "name": "render.mjs"
         *         }
         *       ],
         *       "requirements": {
         *         "gpuModels": [
         *           "l4-24gb"
         *         ],
         *         "gpuCount": 1
         *       },
         *       "budgetMicros": "2000000"
         *     }
         */
        QuoteRequest: {
            /**
             * @description Amount in micro-USDC (1 USDC = 1,000,000), as an integer string.
             * @example 250000000
             */
            budgetMicros?: string;
            command: string[];
            /** @default {} */
            env?: {
                [key: string]: string;
            };
            image: string;
            /**
             * @description Files the workload reads: downloaded and verified by the agent before it starts, in `$BACKFILL_INPUT_DIR` (read-only; `/backfill/input` in a container).
             * @default []
             */
            inputs?: components["schemas"]["JobInputSpec"][];
            name: string;
            requirements: components["schemas"]["JobRequirements"];
            template: components["schemas"]["JobTemplate"];
            /** @description Units of the template's work (tokens, steps, frames, work-seconds). */
            workUnits: number;
        };
        Readiness: {
            checks: components["schemas"]["HealthCheck"][];
            loops: components["schemas"]["LoopHealth"][];
            /** @enum {string} */
            status: "ready" | "unready";
        };
        ReceiptAmendment: {
            /** @description The payload, parsed. */
            amendment: {
                [key: string]: unknown;
            };
            /** @description The canonical JSON that was signed, like the receipt. */
            payload: string;
            signature: string;
            signer: string;
        };
        ReceiptSigner: {
            address: string;
        };
        ReconciliationDifference: {
            blockNumber: string | null;
            /** @description The amount on the chain, when there is a transfer. */
            chainMicros: string | null;
            /** @description The sender of a transfer in, or the recipient of a transfer out. */
            counterparty: string | null;
            detail: string;
            /** @enum {string|null} */
            direction: "in" | "out" | null;
            /** @enum {string} */
            kind: "unbacked_credit" | "amount_mismatch" | "transfer_not_in_ledger" | "payout_without_transfer" | "transfer_out_without_payout" | "balance_mismatch";
            /** @description The amount in the ledger, when there is an entry. */
            ledgerMicros: string | null;
            ledgerTransactionId: string | null;
            logIndex: number | null;
            /** @description The deposit or payout record behind it, with its state (and rejection reason), if any. */
            record: string | null;
            /** @enum {string} */
            severity: "failure" | "pending" | "explained";
            txHash: string | null;
        };
        ReconciliationTotal: {
            count: number;
            /** @description USDC in micro-units (6 decimals), as a string. */
            totalMicros: string;
        };
        /**
         * @description Region identifier.
         * @enum {string}
         */
        RegionId: "us-east" | "us-central" | "us-west" | "ca-central" | "sa-east" | "eu-west" | "eu-central" | "eu-north" | "uk-south" | "ap-northeast" | "ap-southeast" | "ap-south" | "oc-southeast" | "af-south";
        RegisteredGpu: {
            index: number;
            /** @enum {string} */
            model: "h200-141gb" | "h100-80gb" | "a100-80gb" | "a100-40gb" | "l40s-48gb" | "l4-24gb" | "rtx-a6000-48gb" | "rtx-4090-24gb" | "rtx-3090-24gb";
            serial: string;
            vramGb: number;
        };
        RequestPayout: {
            /**
             * @description How much to withdraw; omitted → the whole payable balance.
             * @example 250000000
             */
            amountMicros?: string;
        };
        RequestWithdrawal: {
            /**
             * @description How much to withdraw; omitted → the whole available balance.
             * @example 250000000
             */
            amountMicros?: string;
        };
        Session: {
            /** @description The signed-in account; null when signed out. */
            account: {
                address: components["schemas"]["Address"];
                /**
                 * Format: date-time
                 * @description ISO 8601 timestamp.
                 */
                createdAt: string;
                /** Format: uuid */
                id: string;
            } | null;
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            expiresAt: string | null;
        };
        SignedTransfer: {
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            expiresAt: string;
            /** @description Headers the request must carry exactly as given (they are signed). */
            headers: {
                [key: string]: string;
            };
            /** @enum {string} */
            method: "GET" | "PUT";
            /** @description Short-lived URL for exactly this transfer (no other credential). */
            url: string;
        };
        SignInNonce: {
            /** @description Chains a sign-in message may name. */
            chainIds: number[];
            /** @description The domain the SIWE message must name. */
            domain: string;
            /**
             * Format: date-time
             * @description The nonce (and the message) must be used before this.
             */
            expiresAt: string;
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            issuedAt: string;
            /** @description Single-use sign-in nonce (≥ 96 random bits). */
            nonce: string;
            /** @description The statement to put in the message. */
            statement: string;
            /** @description The URI the SIWE message must name. */
            uri: string;
        };
        SignInRequest: {
            /** @description The EIP-4361 message that was signed. */
            message: string;
            /** @description The wallet's signature of the message. */
            signature: string;
        };
        Statement: {
            /** @description Each of your ledger accounts with a balance or a movement in the month. */
            accounts: components["schemas"]["StatementAccount"][];
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            from: string;
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            generatedAt: string;
            /**
             * @description A calendar month (UTC).
             * @example 2026-11
             */
            month: string;
            /**
             * Format: date-time
             * @description Exclusive: the first instant of the next month.
             */
            to: string;
            walletAddress: components["schemas"]["Address"];
        };
        StatementAccount: {
            account: components["schemas"]["LedgerAccountKind"];
            /** @description Balance at the end: opening plus the movements. */
            closingMicros: string;
            /** @enum {string} */
            currency: "usdc" | "incentive";
            /** @description What moved the balance during the month, by kind of transaction. */
            movements: {
                /** @description Their sum: positive into the account. */
                amountMicros: string;
                count: number;
                kind: components["schemas"]["LedgerTransactionKind"];
            }[];
            /** @description Balance at the start of the month. */
            openingMicros: string;
        };
        StorageUsage: {
            quotaBytes: number;
            /** @description Inputs, outputs and checkpoints, pending uploads included. */
            usedBytes: number;
        };
        StoredFile: {
            contentType: string;
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            createdAt: string;
            /**
             * Format: date-time
             * @description When it will be deleted (retention, or the upload deadline while pending).
             */
            expiresAt: string | null;
            /** Format: uuid */
            id: string;
            /**
             * Format: uuid
             * @description The job that wrote it (outputs and checkpoints).
             */
            jobId: string | null;
            kind: components["schemas"]["FileKind"];
            name: string;
            sha256: string;
            sizeBytes: number;
            /**
             * @description pending: the upload URL is out, the bytes not confirmed yet; ready: stored and verified.
             * @enum {string}
             */
            state: "pending" | "ready";
        };
        StoredFileDetail: {
            contentType: string;
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            createdAt: string;
            /** @description A short-lived download URL; null while pending. */
            download: {
                /**
                 * Format: date-time
                 * @description ISO 8601 timestamp.
                 */
                expiresAt: string;
                /** @description Headers the request must carry exactly as given (they are signed). */
                headers: {
                    [key: string]: string;
                };
                /** @enum {string} */
                method: "GET" | "PUT";
                /** @description Short-lived URL for exactly this transfer (no other credential). */
                url: string;
            } | null;
            /**
             * Format: date-time
             * @description When it will be deleted (retention, or the upload deadline while pending).
             */
            expiresAt: string | null;
            /** Format: uuid */
            id: string;
            /**
             * Format: uuid
             * @description The job that wrote it (outputs and checkpoints).
             */
            jobId: string | null;
            kind: components["schemas"]["FileKind"];
            name: string;
            sha256: string;
            sizeBytes: number;
            /**
             * @description pending: the upload URL is out, the bytes not confirmed yet; ready: stored and verified.
             * @enum {string}
             */
            state: "pending" | "ready";
        };
        SubmitDepositRequest: {
            /** @description The chain the transfer was sent on. */
            chainId: number;
            /**
             * @description What the wallet meant to send. Optional; the credited amount is always read from the Transfer log, and a submission whose expected amount differs from the log is rejected (`amount_mismatch`).
             * @example 250000000
             */
            expectedAmountMicros?: string;
            txHash: components["schemas"]["TxHash"];
        };
        /** @description Paid work (USDC) and incentives, per UTC day and per node. */
        SupplierEarnings: {
            /** @description Balances now, whatever the range. */
            balances: {
                /** @description Earnings of quarantined nodes, held: never paid out. */
                heldMicros: string;
                incentivesMicros: components["schemas"]["TokenMicros"];
                /** @description Earned USDC you can withdraw now. */
                payableMicros: string;
                /** @description USDC on its way to your wallet. */
                payoutPendingMicros: string;
            };
            /** @description Every UTC day of the range, oldest first (zero days included). */
            days: {
                /** Format: date */
                day: string;
                incentiveMicros: components["schemas"]["TokenMicros"];
                /** @description The incentives’ USD value at emission. */
                incentiveUsdMicros: string;
                /** @description The nodes that earned that day. */
                nodes: components["schemas"]["NodeEarnings"][];
                /** @description Your share of paid customer work, in micro-USDC (after the platform fee). */
                paidMicros: string;
                /** @description paid + incentives at their USD value at emission. */
                totalUsdMicros: string;
            }[];
            /** Format: date */
            from: string;
            /** @description Per node over the whole range. */
            nodes: components["schemas"]["NodeEarnings"][];
            /** Format: date */
            to: string;
            totals: components["schemas"]["EarningsAmounts"];
        };
        /** @description One of your nodes, as the supplier console shows it. */
        SupplierNode: {
            /** @description The node agent it runs. */
            agent: {
                /** @description The oldest agent the marketplace accepts; null: any. */
                minimumVersion: string | null;
                /** @description The agent is older than the minimum: it is refused (426) until updated. */
                updateNeeded: boolean;
                /** @description The version its agent last reported; null: never. */
                version: string | null;
            };
            /** @description Today (UTC) and the 30 UTC days ending today. */
            earnings: {
                last30d: components["schemas"]["EarningsAmounts"];
                today: components["schemas"]["EarningsAmounts"];
            };
            /** @description price × GPUs × 730 h × utilization × (1 − take rate), micro-USDC: paid work at the observed utilization, incentives not included. */
            estimatedMonthlyEarningsMicros: string;
            gpuCount: number;
            gpuModel: string;
            gpuName: string;
            /** Format: uuid */
            id: string;
            market: components["schemas"]["MarketBand"];
            name: string;
            /** @description Your price per GPU-hour, micro-USDC. */
            priceMicros: string;
            region: string;
            regionName: string;
            /** @enum {string} */
            status: "online" | "busy" | "offline" | "lost" | "quarantined";
            /**
             * Format: date-time
             * @description ISO 8601 timestamp.
             */
            statusSince: string;
            /** @description Share of the observed last 30 days the node was online or busy, basis points. */
            uptime30dBp: number;
            /** @description Per-UTC-day uptime for the last 30 days, oldest first; null when unobserved. */
            uptimeDaily: {
                /** Format: date */
                day: string;
                uptimeBp: number | null;
            }[];
            /** @description GPU-time leased to customer jobs ÷ online GPU-time over the last 30 days, basis points. */
            utilization30dBp: number;
            verification: {
                /** @description The benchmark challenge open now (pending: waiting for the next heartbeat; sent: running since `since`); null when none. The node is off the market meanwhile. */
                benchmark: {
                    referenceMs: number;
                    /**
                     * Format: date-time
                     * @description ISO 8601 timestamp.
                     */
                    since: string;
                    /** @enum {string} */
                    state: "pending" | "sent" | "committed";
                } | null;
                /** @description The most recent check, passed or failed; null before any. */
                lastCheck: {
                    /**
                     * Format: date-time
                     * @description ISO 8601 timestamp.
                     */
                    at: string;
                    detail: string;
                    /** @enum {string} */
                    method: "benchmark" | "canary";
                    /** @enum {string} */
                    result: "pass" | "fail";
                } | null;
                /**
                 * Format: date-time
                 * @description The last passed check, while the node is verified.
                 */
                lastVerifiedAt: string | null;
                /**
                 * @description How the check at `lastVerifiedAt` was made.
                 * @enum {string|null}
                 */
                method: "benchmark" | "canary" | null;
                /**
                 * Format: date-time
                 * @description Quarantined nodes earn no incentives and their earnings are held.
                 */
                quarantinedAt: string | null;
                quarantineReason: string | null;
                /** @enum {string} */
                state: "unverified" | "verified" | "failed" | "declared";
            };
            vramGb: number;
        };
        SupplierNodePage: {
            items: components["schemas"]["SupplierNode"][];
            /** @description Pass as `cursor` for the next page; null at the end. */
            nextCursor: string | null;
        };
        /** @description Amount of the network incentive token in micro-units (1 token = 1,000,000), as an integer string. */
        TokenMicros: string;
        TokenReferencePrice: {
            /**
             * @description The reference price is configured (INCENTIVE_USD_PRICE), not a market price; each emission records the price in force.
             * @enum {string}
             */
            source: "configured";
            /** @description USD per whole network token, in micro-USD. */
            usdPriceMicros: string;
        };
        /** @description A transaction hash. */
        TxHash: string;
        UpdateNodePrice: {
            /**
             * @description New price per GPU-hour, micro-USDC (at most 1,000 USDC).
             * @example 450000
             */
            pricePerGpuHourMicros: string;
        };
        /**
         * @description How hardware was checked.
         * @enum {string}
         */
        VerificationMethod: "benchmark" | "canary";
        /** @description One check of a node’s hardware and its verdict. */
        VerificationRecord: {
            /** Format: date-time */
            at: string;
            /** @description The verdict in words, as recorded. */
            detail: string;
            /** @description Upper end of the band. */
            expectedMax: number;
            /** @description Lower end of the band the score had to reach. */
            expectedMin: number;
            /** @description Benchmark: measured throughput relative to the A100 80GB (= 1.0). Canary: 1 when the job returned its known answer, 0 when it did not. */
            measuredScore: number;
            method: components["schemas"]["VerificationMethod"];
            /** @enum {string} */
            result: "pass" | "fail";
        };
        VerifiedRecencyBucket: {
            gpus: number;
            nodes: number;
            /** @enum {string} */
            recency: "24h" | "7d" | "30d" | "older";
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    updateAccountSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["AccountSettings"];
            };
        };
        responses: {
            /** @description The saved settings. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccountSettings"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A browser request from another origin (or without one), an API key without the scope the operation names, or an action that needs a wallet session. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body must be JSON (`Content-Type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    heartbeat: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["AgentHeartbeatRequest"];
            };
        };
        responses: {
            /** @description Assignments and cancellations. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentHeartbeatResponse"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body must be JSON (`Content-Type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The node agent is older than the marketplace accepts; the message names the minimum and where to download. */
            426: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    registerNode: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["AgentRegisterRequest"];
            };
        };
        responses: {
            /** @description The node and its token. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentRegisterResponse"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body must be JSON (`Content-Type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The node agent is older than the marketplace accepts; the message names the minimum and where to download. */
            426: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate-limited; retry after the number of seconds in `Retry-After`. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAgentRelease: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The release. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentRelease"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource — also the answer for another account's resources. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    agentCreateUpload: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["AgentUploadRequest"];
            };
        };
        responses: {
            /** @description Where to upload. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentUpload"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource — also the answer for another account's resources. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state, or a request with the same Idempotency-Key is still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body must be JSON (`Content-Type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Well-formed but refused; the message says why. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    agentCompleteUpload: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Resource id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["AgentUploadComplete"];
            };
        };
        responses: {
            /** @description Acknowledged. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentUploadAcknowledged"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource — also the answer for another account's resources. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state, or a request with the same Idempotency-Key is still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body must be JSON (`Content-Type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Well-formed but refused; the message says why. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Your keys (never the secrets). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyList"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["CreateApiKeyRequest"];
            };
        };
        responses: {
            /** @description The new key, shown once. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedApiKey"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A browser request from another origin (or without one), an API key without the scope the operation names, or an action that needs a wallet session. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state, or a request with the same Idempotency-Key is still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body must be JSON (`Content-Type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate-limited; retry after the number of seconds in `Retry-After`. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revokeApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Resource id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["EmptyBody"];
            };
        };
        responses: {
            /** @description The revoked key. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A browser request from another origin (or without one), an API key without the scope the operation names, or an action that needs a wallet session. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource — also the answer for another account's resources. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body must be JSON (`Content-Type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    signOut: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["EmptyBody"];
            };
        };
        responses: {
            /** @description Signed out. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A browser request from another origin (or without one), an API key without the scope the operation names, or an action that needs a wallet session. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body must be JSON (`Content-Type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createSignInNonce: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["EmptyBody"];
            };
        };
        responses: {
            /** @description The nonce. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SignInNonce"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A browser request from another origin (or without one), an API key without the scope the operation names, or an action that needs a wallet session. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body must be JSON (`Content-Type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate-limited; retry after the number of seconds in `Retry-After`. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session, or `account: null`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    signIn: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["SignInRequest"];
            };
        };
        responses: {
            /** @description Signed in; the session cookie is set. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A browser request from another origin (or without one), an API key without the scope the operation names, or an action that needs a wallet session. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body must be JSON (`Content-Type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate-limited; retry after the number of seconds in `Retry-After`. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getBalance: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Available, reserved, payable and runway. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Balance"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getChain: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The configured chain. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChainInfo"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Well-formed but refused; the message says why. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    chainRpc: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": unknown;
            };
        };
        responses: {
            /** @description The JSON-RPC answer(s); refused methods answer a JSON-RPC error in place. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A browser request from another origin (or without one), an API key without the scope the operation names, or an action that needs a wallet session. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body must be JSON (`Content-Type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate-limited; retry after the number of seconds in `Retry-After`. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listDeposits: {
        parameters: {
            query?: {
                /** @description Opaque cursor from `nextCursor`. */
                cursor?: string;
                /** @description Page size. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of deposits, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DepositPage"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    submitDeposit: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["SubmitDepositRequest"];
            };
        };
        responses: {
            /** @description The deposit and its state. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Deposit"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A browser request from another origin (or without one), an API key without the scope the operation names, or an action that needs a wallet session. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body must be JSON (`Content-Type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Well-formed but refused; the message says why. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate-limited; retry after the number of seconds in `Retry-After`. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getDeposit: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Resource id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The deposit. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Deposit"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource — also the answer for another account's resources. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listFiles: {
        parameters: {
            query?: {
                cursor?: string;
                /** @description Only this job's files. */
                jobId?: string;
                kind?: "input" | "output";
                limit?: number;
                /** @description Only files with these bytes: a client reuses an input it uploaded before. */
                sha256?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of files, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FilePage"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createInputFile: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["CreateFileRequest"];
            };
        };
        responses: {
            /** @description The pending file and where to upload it. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FileUpload"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A browser request from another origin (or without one), an API key without the scope the operation names, or an action that needs a wallet session. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state, or a request with the same Idempotency-Key is still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body must be JSON (`Content-Type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Well-formed but refused; the message says why. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate-limited; retry after the number of seconds in `Retry-After`. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Resource id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The file. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StoredFileDetail"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource — also the answer for another account's resources. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Resource id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["EmptyBody"];
            };
        };
        responses: {
            /** @description Deleted. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {boolean} */
                        deleted: true;
                    };
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A browser request from another origin (or without one), an API key without the scope the operation names, or an action that needs a wallet session. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource — also the answer for another account's resources. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state, or a request with the same Idempotency-Key is still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body must be JSON (`Content-Type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    completeInputFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Resource id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["EmptyBody"];
            };
        };
        responses: {
            /** @description The ready file. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StoredFile"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A browser request from another origin (or without one), an API key without the scope the operation names, or an action that needs a wallet session. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource — also the answer for another account's resources. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state, or a request with the same Idempotency-Key is still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body must be JSON (`Content-Type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Well-formed but refused; the message says why. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    downloadFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Resource id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description See the Location header. */
            303: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource — also the answer for another account's resources. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state, or a request with the same Idempotency-Key is still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getLiveness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Serving. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Liveness"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Draining: send new requests elsewhere. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Liveness"];
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not ready; the failing checks say why. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
        };
    };
    listJobs: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                /** @description A state, or "active" (queued/scheduled/running) or "finished". */
                state?: "active" | "finished" | "queued" | "scheduled" | "running" | "succeeded" | "failed" | "cancelled" | "out_of_budget";
                template?: components["schemas"]["JobTemplate"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of jobs, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobPage"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    launchJob: {
        parameters: {
            query?: never;
            header: {
                /** @description Makes the request safe to retry: a replay returns the first answer; the same key with another body is refused (422). */
                "Idempotency-Key": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["JobSpec"];
            };
        };
        responses: {
            /** @description The queued job. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobDetail"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not enough balance. */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A browser request from another origin (or without one), an API key without the scope the operation names, or an action that needs a wallet session. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state, or a request with the same Idempotency-Key is still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body must be JSON (`Content-Type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Well-formed but refused; the message says why. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate-limited; retry after the number of seconds in `Retry-After`. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Resource id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobDetail"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource — also the answer for another account's resources. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    cancelJob: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes the request safe to retry: a replay returns the first answer; the same key with another body is refused (422). */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Resource id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["EmptyBody"];
            };
        };
        responses: {
            /** @description The cancelled job. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobDetail"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A browser request from another origin (or without one), an API key without the scope the operation names, or an action that needs a wallet session. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource — also the answer for another account's resources. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state, or a request with the same Idempotency-Key is still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body must be JSON (`Content-Type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Well-formed but refused; the message says why. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listJobEvents: {
        parameters: {
            query?: {
                /** @description Events with a greater id. */
                after?: number | null;
                limit?: number;
                /** @description Comma-separated event types to include. */
                types?: string;
            };
            header?: never;
            path: {
                /** @description Resource id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Events, oldest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobEventPage"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource — also the answer for another account's resources. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    downloadJobLogs: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Resource id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every log line. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource — also the answer for another account's resources. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getJobReceipt: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Resource id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The receipt. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobReceipt"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource — also the answer for another account's resources. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    rerunJob: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes the request safe to retry: a replay returns the first answer; the same key with another body is refused (422). */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Resource id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["EmptyBody"];
            };
        };
        responses: {
            /** @description The re-run, queued. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobDetail"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not enough balance. */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A browser request from another origin (or without one), an API key without the scope the operation names, or an action that needs a wallet session. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource — also the answer for another account's resources. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state, or a request with the same Idempotency-Key is still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body must be JSON (`Content-Type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Well-formed but refused; the message says why. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate-limited; retry after the number of seconds in `Retry-After`. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    streamJobEvents: {
        parameters: {
            query?: {
                after?: number;
            };
            header?: never;
            path: {
                /** @description Resource id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An event stream. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource — also the answer for another account's resources. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listLedgerEntries: {
        parameters: {
            query?: {
                /** @description Opaque cursor from `nextCursor`. */
                cursor?: string;
                /** @description Page size. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of entries. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LedgerPage"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    exportLedger: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every entry, as CSV. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMetricsSummary: {
        parameters: {
            query?: never;
            header?: {
                /** @description ETags of answers you hold (or `*`): unchanged, the answer is 304 with no body. */
                "If-None-Match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The summary. */
            200: {
                headers: {
                    /** @description `public, max-age=30, stale-while-revalidate=60` */
                    "Cache-Control"?: string;
                    /** @description Strong entity tag of the body (the first 128 bits of its sha256). */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MetricsSummary"];
                };
            };
            /** @description Not Modified: the answer whose ETag the request named in `If-None-Match` is still current; no body. */
            304: {
                headers: {
                    /** @description `public, max-age=30, stale-while-revalidate=60` */
                    "Cache-Control"?: string;
                    /** @description Strong entity tag of the body (the first 128 bits of its sha256). */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMetric: {
        parameters: {
            query?: {
                /** @description json (default) or csv. `Accept: text/csv` also selects CSV. */
                format?: "json" | "csv";
                /** @description First day of the range (inclusive). Default: the first day of the month of the network’s first record when its records span at most 13 calendar months to `to`; otherwise the first day of the month 11 months before `to`. */
                from?: string;
                /** @description Period of each row. Default: month. Customer metrics accept month only. */
                granularity?: "day" | "week" | "month";
                /** @description Last day of the range (inclusive). Default: today (UTC). */
                to?: string;
            };
            header?: {
                /** @description ETags of answers you hold (or `*`): unchanged, the answer is 304 with no body. */
                "If-None-Match"?: string;
            };
            path: {
                metric: components["schemas"]["MetricId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The metric as JSON, or as CSV when asked. */
            200: {
                headers: {
                    /** @description `public, max-age=30, stale-while-revalidate=60` */
                    "Cache-Control"?: string;
                    /** @description Strong entity tag of the body (the first 128 bits of its sha256). */
                    ETag?: string;
                    /** @description `Accept`: it chooses the representation. */
                    Vary?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MetricSeries"];
                    "text/csv": string;
                };
            };
            /** @description Not Modified: the answer whose ETag the request named in `If-None-Match` is still current; no body. */
            304: {
                headers: {
                    /** @description `public, max-age=30, stale-while-revalidate=60` */
                    "Cache-Control"?: string;
                    /** @description Strong entity tag of the body (the first 128 bits of its sha256). */
                    ETag?: string;
                    /** @description `Accept`: it chooses the representation. */
                    Vary?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource — also the answer for another account's resources. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getChainReconciliation: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The reconciliation. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChainReconciliation"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMetricsExports: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The manifest, oldest day first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MetricsExportManifest"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMetricsExport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The UTC day of the export (YYYY-MM-DD). */
                day: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The export file. */
            200: {
                headers: {
                    /** @description sha256 of the body, hex. */
                    "X-Content-SHA256"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource — also the answer for another account's resources. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getDemoHistoryStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The history’s progress. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DemoHistoryStatusResponse"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getNode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Node id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The node. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NodeDetail"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource — also the answer for another account's resources. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateNodePrice: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes the request safe to retry: a replay returns the first answer; the same key with another body is refused (422). */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Node id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["UpdateNodePrice"];
            };
        };
        responses: {
            /** @description The node with its new price. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SupplierNode"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A browser request from another origin (or without one), an API key without the scope the operation names, or an action that needs a wallet session. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource — also the answer for another account's resources. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state, or a request with the same Idempotency-Key is still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body must be JSON (`Content-Type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Well-formed but refused; the message says why. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createNodeRegistrationToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["EmptyBody"];
            };
        };
        responses: {
            /** @description The token, shown once. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NodeRegistrationToken"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A browser request from another origin (or without one), an API key without the scope the operation names, or an action that needs a wallet session. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body must be JSON (`Content-Type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate-limited; retry after the number of seconds in `Retry-After`. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    searchOffers: {
        parameters: {
            query?: {
                /** @description Opaque cursor from `nextCursor` of the previous page. */
                cursor?: string;
                /** @description Only these GPU models. */
                gpu?: components["schemas"]["GpuModelId"][];
                /** @description GPU interconnect. */
                interconnect?: "nvlink" | "pcie";
                /** @description Page size. */
                limit?: number;
                /** @description At most this price per GPU-hour, in USDC (decimal). */
                maxPrice?: string;
                /** @description At least this network bandwidth, in Mbit/s. */
                minBandwidth?: number;
                /** @description At least this many CPU cores on the host. */
                minCpuCores?: number;
                /** @description At least this CUDA version on the host’s driver (`major.minor`). */
                minCuda?: string;
                /** @description At least this much free disk on the host, in GB. */
                minDisk?: number;
                /** @description At least this many free GPUs on the node. */
                minGpus?: number;
                /** @description At least this much host RAM, in GB. */
                minRam?: number;
                /** @description At least this 30-day uptime, in percent. */
                minReliability?: number | null;
                /** @description At least this much VRAM per GPU, in GB. */
                minVram?: number;
                /** @description Sort direction; defaults to the natural one (cheapest or most reliable first). */
                order?: "asc" | "desc";
                /** @description Only these regions. */
                region?: components["schemas"]["RegionId"][];
                /** @description Sort key. */
                sort?: "price" | "price_per_work" | "reliability" | "vram" | "free_gpus" | "bandwidth" | "cpu_cores" | "ram" | "disk" | "cuda";
                /** @description `true`: only nodes whose hardware is verified; `false`: only unverified nodes, declared ones included. Unset: verified and not-yet-verified nodes, without declared ones (their agent cannot run the GPU proof). */
                verified?: "true" | "false";
                /** @description Only verified nodes whose hardware last passed a check (benchmark or canary job) within this window of now (`verifiedAt` no older than 24 hours, 7 days or 30 days). */
                verifiedWithin?: "24h" | "7d" | "30d";
            };
            header?: {
                /** @description ETags of answers you hold (or `*`): unchanged, the answer is 304 with no body. */
                "If-None-Match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of offers. */
            200: {
                headers: {
                    /** @description `public, max-age=1, stale-while-revalidate=2` */
                    "Cache-Control"?: string;
                    /** @description Strong entity tag of the body (the first 128 bits of its sha256). */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OfferPage"];
                };
            };
            /** @description Not Modified: the answer whose ETag the request named in `If-None-Match` is still current; no body. */
            304: {
                headers: {
                    /** @description `public, max-age=1, stale-while-revalidate=2` */
                    "Cache-Control"?: string;
                    /** @description Strong entity tag of the body (the first 128 bits of its sha256). */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    summarizeOffers: {
        parameters: {
            query?: never;
            header?: {
                /** @description ETags of answers you hold (or `*`): unchanged, the answer is 304 with no body. */
                "If-None-Match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The network now. */
            200: {
                headers: {
                    /** @description `public, max-age=5, stale-while-revalidate=10` */
                    "Cache-Control"?: string;
                    /** @description Strong entity tag of the body (the first 128 bits of its sha256). */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OfferSummary"];
                };
            };
            /** @description Not Modified: the answer whose ETag the request named in `If-None-Match` is still current; no body. */
            304: {
                headers: {
                    /** @description `public, max-age=5, stale-while-revalidate=10` */
                    "Cache-Control"?: string;
                    /** @description Strong entity tag of the body (the first 128 bits of its sha256). */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listPayouts: {
        parameters: {
            query?: {
                /** @description Opaque cursor from `nextCursor`. */
                cursor?: string;
                /** @description Page size. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of payouts, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PayoutPage"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    requestPayout: {
        parameters: {
            query?: never;
            header: {
                /** @description Makes the request safe to retry: a replay returns the first answer; the same key with another body is refused (422). */
                "Idempotency-Key": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RequestPayout"];
            };
        };
        responses: {
            /** @description The payout and its state. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Payout"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not enough balance. */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A browser request from another origin (or without one), an API key without the scope the operation names, or an action that needs a wallet session. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state, or a request with the same Idempotency-Key is still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body must be JSON (`Content-Type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Well-formed but refused; the message says why. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate-limited; retry after the number of seconds in `Retry-After`. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getPayout: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Resource id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The payout. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Payout"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource — also the answer for another account's resources. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    quoteJob: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["QuoteRequest"];
            };
        };
        responses: {
            /** @description The quote. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Quote"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A browser request from another origin (or without one), an API key without the scope the operation names, or an action that needs a wallet session. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body must be JSON (`Content-Type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate-limited; retry after the number of seconds in `Retry-After`. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getReceiptSigner: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The address. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReceiptSigner"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getStatement: {
        parameters: {
            query?: {
                /** @description `csv`: every posting of the month with the balance after it (or send `Accept: text/csv`). */
                format?: "json" | "csv";
            };
            header?: never;
            path: {
                /** @description A calendar month (UTC). */
                month: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The statement. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Statement"];
                    "text/csv": string;
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getStoredObject: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The bytes. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": string;
                };
            };
            /** @description A byte range. */
            206: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": string;
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A browser request from another origin (or without one), an API key without the scope the operation names, or an action that needs a wallet session. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource — also the answer for another account's resources. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Well-formed but refused; the message says why. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putStoredObject: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/octet-stream": string;
            };
        };
        responses: {
            /** @description Stored. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        key: string;
                        sha256: string;
                        size: number;
                    };
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A browser request from another origin (or without one), an API key without the scope the operation names, or an action that needs a wallet session. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource — also the answer for another account's resources. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body must be JSON (`Content-Type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Well-formed but refused; the message says why. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSupplierEarnings: {
        parameters: {
            query?: {
                /** @description First UTC day (YYYY-MM-DD), inclusive; defaults to 29 days before `to`. */
                from?: string;
                /** @description Last UTC day, inclusive; defaults to today. At most 366 days in all. */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The earnings of the range. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SupplierEarnings"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    exportSupplierEarnings: {
        parameters: {
            query?: {
                /** @description First UTC day (YYYY-MM-DD), inclusive; defaults to 29 days before `to`. */
                from?: string;
                /** @description Last UTC day, inclusive; defaults to today. At most 366 days in all. */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The earnings of the range, oldest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listSupplierNodes: {
        parameters: {
            query?: {
                /** @description Opaque cursor from `nextCursor`. */
                cursor?: string;
                /** @description Page size. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of your nodes. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SupplierNodePage"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    exportSupplierPayouts: {
        parameters: {
            query?: {
                /** @description First UTC day (YYYY-MM-DD), inclusive; defaults to 29 days before `to`. */
                from?: string;
                /** @description Last UTC day, inclusive; defaults to today. At most 366 days in all. */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The payouts of the range, oldest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listWithdrawals: {
        parameters: {
            query?: {
                /** @description Opaque cursor from `nextCursor`. */
                cursor?: string;
                /** @description Page size. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of withdrawals, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PayoutPage"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    requestWithdrawal: {
        parameters: {
            query?: never;
            header: {
                /** @description Makes the request safe to retry: a replay returns the first answer; the same key with another body is refused (422). */
                "Idempotency-Key": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RequestWithdrawal"];
            };
        };
        responses: {
            /** @description The withdrawal (source `customer_balance`) and its state. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Payout"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not enough balance. */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A browser request from another origin (or without one), an API key without the scope the operation names, or an action that needs a wallet session. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state, or a request with the same Idempotency-Key is still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body must be JSON (`Content-Type: application/json`). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Well-formed but refused; the message says why. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate-limited; retry after the number of seconds in `Retry-After`. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getWithdrawal: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Resource id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The withdrawal. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Payout"];
                };
            };
            /** @description Invalid input; `error.fields` names the offending fields. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not signed in, or the API key is unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such resource — also the answer for another account's resources. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected failure; the message carries an incident id and no internals. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
