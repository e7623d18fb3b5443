/** The run's sizes, from FAULTS_* variables (scripts/faults.sh lists them), so a quick run is possible. */
export const sizes = {
  contacts: Number(process.env.FAULTS_CONTACTS ?? 5000),
  outageMs: Number(process.env.FAULTS_OUTAGE_S ?? 60) * 1000,
  burst: Number(process.env.FAULTS_BURST ?? 300),
  settleMs: Number(process.env.FAULTS_SETTLE_S ?? 300) * 1000,
};
