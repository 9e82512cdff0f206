/**
 * The largest things the contract lets a client send. The web host refuses any WebSocket message larger than
 * `maximumMessageBytes` before buffering it, so these numbers also bound the memory one client can make the host hold.
 */
const mebibyte = 1024 * 1024;

/** A NIfTI file uploaded through the browser (larger files are imported by path). */
export const maximumUploadBytes = 512 * mebibyte;

/** Room for the JSON header of the largest call (100,000 mask slices with their byte references). */
const maximumHeaderBytes = 16 * mebibyte;

/** One message of the web host's protocol: the largest upload plus its header. */
export const maximumMessageBytes = maximumUploadBytes + maximumHeaderBytes;
